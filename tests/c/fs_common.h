/* Shared helpers of the filesystem test programs (tests/c/fs_*.c).
 *
 * Every program runs with the scenario directory preopened at /sandbox and
 * changes into it first, so relative paths resolve inside it. Each program
 * is a set of named cases; argv[1] picks one ("all" or nothing runs every
 * case, each in a fresh subdirectory). Output is deterministic: values,
 * errno names and properties, never timestamps, inode numbers or fd numbers
 * that legitimately differ from run to run. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SANDBOX "/sandbox"

static __attribute__((unused)) const char *errname(int e) {
    static char other[32];
    switch (e) {
#define E(x) case x: return #x;
        E(E2BIG) E(EACCES) E(EADDRINUSE) E(EADDRNOTAVAIL) E(EAFNOSUPPORT) E(EAGAIN)
        E(EALREADY) E(EBADF) E(EBADMSG) E(EBUSY) E(ECANCELED) E(ECHILD) E(ECONNABORTED)
        E(ECONNREFUSED) E(ECONNRESET) E(EDEADLK) E(EDESTADDRREQ) E(EDOM) E(EDQUOT)
        E(EEXIST) E(EFAULT) E(EFBIG) E(EHOSTUNREACH) E(EIDRM) E(EILSEQ) E(EINPROGRESS)
        E(EINTR) E(EINVAL) E(EIO) E(EISCONN) E(EISDIR) E(ELOOP) E(EMFILE) E(EMLINK)
        E(EMSGSIZE) E(EMULTIHOP) E(ENAMETOOLONG) E(ENETDOWN) E(ENETRESET) E(ENETUNREACH)
        E(ENFILE) E(ENOBUFS) E(ENODEV) E(ENOENT) E(ENOEXEC) E(ENOLCK) E(ENOLINK)
        E(ENOMEM) E(ENOMSG) E(ENOPROTOOPT) E(ENOSPC) E(ENOSYS) E(ENOTCONN) E(ENOTDIR)
        E(ENOTEMPTY) E(ENOTRECOVERABLE) E(ENOTSOCK) E(ENOTSUP) E(ENOTTY) E(ENXIO)
        E(EOVERFLOW) E(EOWNERDEAD) E(EPERM) E(EPIPE) E(EPROTO) E(EPROTONOSUPPORT)
        E(EPROTOTYPE) E(ERANGE) E(EROFS) E(ESPIPE) E(ESRCH) E(ESTALE) E(ETIMEDOUT)
        E(ETXTBSY) E(EXDEV) E(ENOTCAPABLE)
#undef E
    case 0:
        return "0";
    default:
        snprintf(other, sizeof other, "errno%d", e);
        return other;
    }
}

/* Prints "<text> = <value>" or "<text> = -1 <ERRNO>" for a call returning
 * -1 and setting errno on failure; evaluates to the call's result. */
#define T(expr) t_report(#expr, (errno = 0, (long long)(expr)))
static __attribute__((unused)) long long t_report(const char *text, long long rc) {
    int e = errno;
    if (rc < 0)
        printf("%s = %lld %s\n", text, rc, errname(e));
    else
        printf("%s = %lld\n", text, rc);
    errno = e;
    return rc;
}

/* For an open()-like call: prints "ok" instead of the descriptor number. */
#define TFD(expr) tfd_report(#expr, (errno = 0, (int)(expr)))
static __attribute__((unused)) int tfd_report(const char *text, int fd) {
    int e = errno;
    if (fd < 0)
        printf("%s = -1 %s\n", text, errname(e));
    else
        printf("%s = fd\n", text);
    errno = e;
    return fd;
}

/* For calls returning an error number (posix_fadvise, posix_fallocate). */
#define TERR(expr) terr_report(#expr, (int)(expr))
static __attribute__((unused)) int terr_report(const char *text, int rc) {
    printf("%s = %s\n", text, errname(rc));
    return rc;
}

/* For pointer results (fopen, opendir). */
#define TPTR(expr) tptr_report(#expr, (errno = 0, (void *)(expr)))
static __attribute__((unused)) void *tptr_report(const char *text, void *p) {
    int e = errno;
    if (p == NULL)
        printf("%s = NULL %s\n", text, errname(e));
    else
        printf("%s = ok\n", text);
    errno = e;
    return p;
}

static __attribute__((unused)) const char *yes(int b) {
    return b ? "yes" : "no";
}

static __attribute__((unused)) const char *type_name(mode_t m) {
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "dir";
    if (S_ISLNK(m)) return "symlink";
    if (S_ISCHR(m)) return "chardev";
    if (S_ISBLK(m)) return "blockdev";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "socket";
    return "unknown";
}

/* Writes a whole file (creating or truncating it); reports failures. */
static __attribute__((unused)) int put_file(const char *path, const void *data, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("put_file(%s): open: %s\n", path, errname(errno));
        return -1;
    }
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0) {
            printf("put_file(%s): write: %s\n", path, n < 0 ? errname(errno) : "short");
            close(fd);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0) {
        printf("put_file(%s): close: %s\n", path, errname(errno));
        return -1;
    }
    return 0;
}

static __attribute__((unused)) int put_str(const char *path, const char *s) {
    return put_file(path, s, strlen(s));
}

/* Reads up to cap-1 bytes of a file into buf (NUL-terminated); returns the
 * length or -1. */
static __attribute__((unused)) long get_file(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    while (used + 1 < cap) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    buf[used] = 0;
    close(fd);
    return (long)used;
}

/* Prints a file's contents, escaped, or the error reading it. */
static __attribute__((unused)) void show_file(const char *path) {
    static char buf[1 << 16];
    errno = 0;
    long n = get_file(path, buf, sizeof buf);
    if (n < 0) {
        printf("content(%s): %s\n", path, errname(errno));
        return;
    }
    printf("content(%s) = %ld \"", path, n);
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n')
            printf("\\n");
        else if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 32 || c >= 127)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    printf("\"\n");
}

/* Prints the type and size (for files and symlinks) of a path, or the error. */
static __attribute__((unused)) void show_stat(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("stat(%s): %s\n", path, errname(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        printf("stat(%s): dir\n", path);
    else
        printf("stat(%s): %s size=%lld nlink=%llu\n", path, type_name(st.st_mode), (long long)st.st_size, (unsigned long long)st.st_nlink);
}

static __attribute__((unused)) void show_lstat(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("lstat(%s): %s\n", path, errname(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        printf("lstat(%s): dir\n", path);
    else
        printf("lstat(%s): %s size=%lld\n", path, type_name(st.st_mode), (long long)st.st_size);
}

static __attribute__((unused)) uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

static __attribute__((unused)) int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct fs_case {
    const char *name;
    void (*run)(void);
};

static __attribute__((unused)) int run_cases(int argc, char **argv, const struct fs_case *cases, size_t n) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (chdir(SANDBOX) != 0) {
        printf("chdir(%s): %s\n", SANDBOX, errname(errno));
        return 1;
    }
    const char *want = argc > 1 ? argv[1] : "all";
    if (strcmp(want, "all") == 0) {
        for (size_t i = 0; i < n; i++) {
            printf("== %s\n", cases[i].name);
            if (mkdir(cases[i].name, 0755) != 0 || chdir(cases[i].name) != 0) {
                printf("cannot enter %s: %s\n", cases[i].name, errname(errno));
                return 1;
            }
            cases[i].run();
            if (chdir(SANDBOX) != 0) {
                printf("chdir(%s): %s\n", SANDBOX, errname(errno));
                return 1;
            }
        }
        printf("done\n");
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(cases[i].name, want) == 0) {
            cases[i].run();
            printf("done\n");
            return 0;
        }
    }
    printf("unknown case %s\n", want);
    return 2;
}

#define RUN_CASES(argc, argv, cases) run_cases(argc, argv, cases, sizeof(cases) / sizeof(cases[0]))
