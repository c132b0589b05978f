/* File contents through libc: fopen modes, stdio, open() flags, O_APPEND,
 * pread/pwrite, ftruncate, reads past the end, a multi-MiB round trip,
 * fsync/fdatasync/posix_fadvise/posix_fallocate, many open descriptors,
 * and a read-only preopen. */

#include "fs_common.h"

static void print_escaped(const char *buf, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n')
            printf("\\n");
        else if (c < 32 || c >= 127)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* One fopen mode: open, write two bytes, flush, seek to 0, read, close. */
static void try_mode(const char *mode, int exists) {
    unlink("m");
    if (exists)
        put_str("m", "hello\n");
    errno = 0;
    FILE *f = fopen("m", mode);
    printf("fopen(%s, \"%s\") = ", exists ? "existing" : "missing", mode);
    if (!f) {
        printf("NULL %s\n", errname(errno));
        show_file("m");
        return;
    }
    printf("ok\n");
    errno = 0;
    size_t n = fwrite("XY", 1, 2, f);
    int rc = fflush(f);
    printf("  fwrite=%zu fflush=%d %s ferror=%d\n", n, rc, errname(rc ? errno : 0), ferror(f) != 0);
    clearerr(f);
    errno = 0;
    rc = fseek(f, 0, SEEK_SET);
    printf("  fseek=%d %s", rc, errname(rc ? errno : 0));
    char buf[64];
    errno = 0;
    n = fread(buf, 1, sizeof buf, f);
    printf(" fread=%zu ", n);
    print_escaped(buf, n);
    printf(" ferror=%d feof=%d ftell=%ld\n", ferror(f) != 0, feof(f) != 0, ftell(f));
    clearerr(f);
    /* Write at the current position (end for append modes). */
    fseek(f, 1, SEEK_SET);
    n = fwrite("z", 1, 1, f);
    errno = 0;
    rc = fclose(f);
    printf("  fwrite at 1=%zu fclose=%d %s\n", n, rc, errname(rc ? errno : 0));
    show_file("m");
}

static void case_fopen_modes(void) {
    static const char *modes[] = {"r", "r+", "w", "w+", "a", "a+", "wx", "w+x", "rb", "r+b", "wb", "w+b", "ab", "a+b", "rb+", "wbx", "re", "we", "ae"};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        try_mode(modes[i], 1);
        try_mode(modes[i], 0);
    }
    /* Invalid modes. */
    TPTR(fopen("m", "q"));
    TPTR(fopen("m", ""));
    /* Directories and missing parents. */
    T(mkdir("d", 0755));
    TPTR(fopen("d", "r"));
    TPTR(fopen("d", "w"));
    TPTR(fopen("d", "a"));
    TPTR(fopen("nodir/x", "w"));
    TPTR(fopen("m/x", "w"));
}

static void case_stdio(void) {
    FILE *f = TPTR(fopen("s.txt", "w+"));
    if (!f)
        return;
    for (int i = 1; i <= 1000; i++)
        fprintf(f, "line %d\n", i);
    printf("ftell after 1000 lines = %ld\n", ftell(f));
    rewind(f);
    char line[64];
    for (int i = 0; i < 3 && fgets(line, sizeof line, f); i++)
        printf("fgets: %s", line);
    printf("ftell = %ld\n", ftell(f));
    T(fseek(f, -10, SEEK_END));
    size_t n = fread(line, 1, sizeof line, f);
    printf("fread at end-10 = %zu ", n);
    print_escaped(line, n);
    printf(" feof=%d\n", feof(f) != 0);
    T(fseek(f, 100, SEEK_CUR));
    printf("ftell = %ld\n", ftell(f));
    T(fputc('!', f));
    T(fflush(f));
    struct stat st;
    fstat(fileno(f), &st);
    printf("size after write past end = %lld\n", (long long)st.st_size);
    T(fseek(f, -101, SEEK_END));
    n = fread(line, 1, 101, f);
    int zeros = 0;
    for (size_t i = 0; i < n; i++)
        zeros += line[i] == 0;
    printf("hole: read %zu, zeros=%d, last=%c\n", n, zeros, n ? line[n - 1] : '-');
    T(fseek(f, -1, SEEK_SET));
    T(fseek(f, 6, SEEK_SET));
    T(ungetc('Q', f));
    int c1 = fgetc(f);
    int c2 = fgetc(f);
    printf("after ungetc: fgetc=%d fgetc=%d ftell=%ld\n", c1, c2, ftell(f));
    /* Count every byte with fgetc. */
    rewind(f);
    long count = 0;
    uint64_t h = FNV_INIT;
    int c;
    while ((c = fgetc(f)) != EOF) {
        unsigned char b = (unsigned char)c;
        h = fnv1a(h, &b, 1);
        count++;
    }
    printf("fgetc count=%ld hash=%016llx feof=%d\n", count, (unsigned long long)h, feof(f) != 0);
    T(fclose(f));

    /* Unbuffered and line-buffered streams. */
    f = TPTR(fopen("u.txt", "w"));
    if (f) {
        T(setvbuf(f, NULL, _IONBF, 0));
        fputs("unbuffered ", f);
        show_file("u.txt");
        T(fclose(f));
    }
    f = TPTR(fopen("u.txt", "a"));
    if (f) {
        static char buf[16];
        T(setvbuf(f, buf, _IOLBF, sizeof buf));
        fputs("line-buffered", f);
        show_file("u.txt");
        fputs(" done\n", f);
        show_file("u.txt");
        T(fclose(f));
    }
    /* fdopen on a descriptor. */
    int fd = TFD(open("s.txt", O_RDONLY));
    f = TPTR(fdopen(fd, "r"));
    if (f) {
        if (fgets(line, sizeof line, f))
            printf("fdopen fgets: %s", line);
        T(fclose(f));
    }
    /* tmpfile-like: remove while open. */
    f = TPTR(fopen("gone.txt", "w+"));
    if (f) {
        T(remove("gone.txt"));
        fputs("still here\n", f);
        rewind(f);
        if (fgets(line, sizeof line, f))
            printf("after remove: %s", line);
        T(fclose(f));
    }
}

static void case_open_flags(void) {
    int fd;
    fd = TFD(open("new", O_WRONLY | O_CREAT | O_EXCL, 0644));
    if (fd >= 0) {
        T(write(fd, "first", 5));
        close(fd);
    }
    fd = TFD(open("new", O_WRONLY | O_CREAT | O_EXCL, 0644));
    fd = TFD(open("new", O_WRONLY | O_CREAT, 0644));
    if (fd >= 0) {
        T(write(fd, "F", 1));
        close(fd);
    }
    show_file("new");
    fd = TFD(open("new", O_RDWR | O_TRUNC));
    if (fd >= 0) {
        struct stat st;
        fstat(fd, &st);
        printf("size after O_TRUNC = %lld\n", (long long)st.st_size);
        close(fd);
    }
    fd = TFD(open("new", O_RDONLY | O_TRUNC));
    if (fd >= 0)
        close(fd);
    show_file("new");
    fd = TFD(open("missing", O_RDONLY));
    fd = TFD(open("missing", O_WRONLY));
    fd = TFD(open("missing", O_TRUNC | O_WRONLY));
    fd = TFD(open("new", O_RDONLY | O_DIRECTORY));
    fd = TFD(open("new/", O_RDONLY));
    fd = TFD(open("new/", O_RDONLY | O_CREAT, 0644));
    fd = TFD(open("newdir/", O_RDONLY | O_CREAT, 0644));
    T(mkdir("d", 0755));
    fd = TFD(open("d", O_RDONLY));
    if (fd >= 0)
        close(fd);
    fd = TFD(open("d", O_WRONLY));
    fd = TFD(open("d", O_RDWR));
    fd = TFD(open("d", O_RDONLY | O_CREAT, 0644));
    fd = TFD(open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
    fd = TFD(open("d", O_RDONLY | O_TRUNC));
    fd = TFD(open("d/", O_RDONLY | O_DIRECTORY));
    if (fd >= 0)
        close(fd);
    /* Symlinks. */
    T(symlink("new", "ln"));
    T(symlink("nothing", "dangling"));
    fd = TFD(open("ln", O_RDONLY | O_NOFOLLOW));
    fd = TFD(open("ln", O_RDONLY));
    if (fd >= 0)
        close(fd);
    fd = TFD(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644));
    fd = TFD(open("dangling", O_RDONLY));
    fd = TFD(open("dangling", O_WRONLY | O_CREAT, 0644));
    if (fd >= 0)
        close(fd);
    /* Wrong-direction I/O. */
    char buf[8];
    fd = TFD(open("new", O_WRONLY));
    if (fd >= 0) {
        T(read(fd, buf, sizeof buf));
        close(fd);
    }
    fd = TFD(open("new", O_RDONLY));
    if (fd >= 0) {
        T(write(fd, "x", 1));
        T(write(fd, "", 0));
        T(read(fd, buf, 0));
        close(fd);
    }
    fd = TFD(open("d", O_RDONLY | O_DIRECTORY));
    if (fd >= 0) {
        T(read(fd, buf, sizeof buf));
        T(write(fd, "x", 1));
        T(lseek(fd, 0, SEEK_CUR));
        T(ftruncate(fd, 0));
        close(fd);
    }
    /* Closed and bogus descriptors. */
    T(read(-1, buf, 1));
    T(write(9999, "x", 1));
    T(close(9999));
    fd = open("new", O_RDONLY);
    T(close(fd));
    T(close(fd));
    T(read(fd, buf, 1));
    /* Flags as seen by fcntl. */
    fd = TFD(open("new", O_RDWR | O_APPEND));
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        printf("F_GETFL: rdwr=%s append=%s\n", yes((fl & O_ACCMODE) == O_RDWR), yes(fl & O_APPEND));
        T(fcntl(fd, F_SETFL, 0));
        fl = fcntl(fd, F_GETFL);
        printf("after F_SETFL 0: append=%s\n", yes(fl & O_APPEND));
        close(fd);
    }
    /* Sync flags at open. */
    fd = TFD(open("synced", O_WRONLY | O_CREAT | O_SYNC, 0644));
    if (fd >= 0) {
        T(write(fd, "s", 1));
        close(fd);
    }
    fd = TFD(open("dsynced", O_WRONLY | O_CREAT | O_DSYNC, 0644));
    if (fd >= 0) {
        T(write(fd, "d", 1));
        close(fd);
    }
    fd = TFD(open("nonblock", O_WRONLY | O_CREAT | O_NONBLOCK, 0644));
    if (fd >= 0) {
        T(write(fd, "n", 1));
        close(fd);
    }
}

static void case_append(void) {
    put_str("log", "0123456789");
    int fd = TFD(open("log", O_WRONLY | O_APPEND));
    if (fd < 0)
        return;
    T(lseek(fd, 0, SEEK_CUR));
    T(write(fd, "AB", 2));
    T(lseek(fd, 0, SEEK_CUR));
    T(lseek(fd, 0, SEEK_SET));
    T(write(fd, "CD", 2));
    T(lseek(fd, 0, SEEK_CUR));
    T(lseek(fd, 3, SEEK_SET));
    T(write(fd, "EF", 2));
    T(lseek(fd, 0, SEEK_END));
    T(pwrite(fd, "pw", 2, 0));
    close(fd);
    show_file("log");

    fd = TFD(open("log", O_RDWR | O_APPEND));
    if (fd < 0)
        return;
    char buf[32];
    T(lseek(fd, 2, SEEK_SET));
    ssize_t n = T(read(fd, buf, 4));
    if (n > 0) {
        printf("read: ");
        print_escaped(buf, (size_t)n);
        printf("\n");
    }
    T(write(fd, "GH", 2));
    n = T(read(fd, buf, 4));
    T(lseek(fd, -3, SEEK_END));
    n = T(read(fd, buf, sizeof buf));
    if (n > 0) {
        printf("read: ");
        print_escaped(buf, (size_t)n);
        printf("\n");
    }
    close(fd);
    show_file("log");

    /* Two descriptors appending in turn. */
    int a = TFD(open("log2", O_WRONLY | O_CREAT | O_APPEND, 0644));
    int b = TFD(open("log2", O_WRONLY | O_APPEND));
    for (int i = 0; i < 5; i++) {
        write(a, "a", 1);
        write(b, "bb", 2);
    }
    close(a);
    close(b);
    show_file("log2");
    /* A non-append descriptor overwrites from its own position. */
    a = TFD(open("log2", O_WRONLY));
    b = TFD(open("log2", O_WRONLY | O_APPEND));
    write(a, "X", 1);
    write(b, "Y", 1);
    write(a, "X", 1);
    close(a);
    close(b);
    show_file("log2");

    /* stdio append. */
    FILE *f = TPTR(fopen("log", "a"));
    if (f) {
        fseek(f, 0, SEEK_SET);
        fputs("<end>", f);
        T(fclose(f));
    }
    show_file("log");
}

static void case_pread_pwrite(void) {
    int fd = TFD(open("p", O_RDWR | O_CREAT | O_TRUNC, 0644));
    if (fd < 0)
        return;
    T(write(fd, "abcdefghij", 10));
    T(lseek(fd, 0, SEEK_CUR));
    T(pwrite(fd, "XYZ", 3, 2));
    T(lseek(fd, 0, SEEK_CUR));
    T(pwrite(fd, "END", 3, 20));
    T(lseek(fd, 0, SEEK_CUR));
    struct stat st;
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    char buf[64];
    ssize_t n = T(pread(fd, buf, 5, 0));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    n = T(pread(fd, buf, sizeof buf, 8));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    n = T(pread(fd, buf, 10, 21));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    T(pread(fd, buf, 10, 23));
    T(pread(fd, buf, 10, 1000));
    T(pread(fd, buf, 0, 0));
    T(pwrite(fd, "", 0, 100));
    T(pread(fd, buf, 1, -1));
    T(pwrite(fd, "x", 1, -1));
    T(lseek(fd, 0, SEEK_CUR));
    n = T(read(fd, buf, 3));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    close(fd);
    show_file("p");
    /* Positional I/O on descriptors opened one way only. */
    fd = TFD(open("p", O_RDONLY));
    T(pwrite(fd, "no", 2, 0));
    T(pread(fd, buf, 2, 0));
    close(fd);
    fd = TFD(open("p", O_WRONLY));
    T(pread(fd, buf, 2, 0));
    T(pwrite(fd, "ok", 2, 0));
    close(fd);
    T(mkdir("d", 0755));
    fd = TFD(open("d", O_RDONLY | O_DIRECTORY));
    T(pread(fd, buf, 2, 0));
    close(fd);
    show_file("p");
    /* Large positional transfer. */
    static char big[300000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 131 + (i >> 9));
    fd = TFD(open("pbig", O_RDWR | O_CREAT | O_TRUNC, 0644));
    size_t done = 0;
    while (done < sizeof big) {
        n = pwrite(fd, big + done, sizeof big - done, 12345 + done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    printf("pwrite big: %zu\n", done);
    static char back[300000];
    done = 0;
    while (done < sizeof back) {
        n = pread(fd, back + done, sizeof back - done, 12345 + done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    printf("pread big: %zu equal=%s offset=%lld\n", done, yes(done == sizeof big && memcmp(big, back, sizeof big) == 0), (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);
}

static void case_truncate(void) {
    int fd = TFD(open("t", O_RDWR | O_CREAT | O_TRUNC, 0644));
    if (fd < 0)
        return;
    struct stat st;
    T(write(fd, "0123456789", 10));
    T(ftruncate(fd, 4));
    fstat(fd, &st);
    printf("size=%lld pos=%lld\n", (long long)st.st_size, (long long)lseek(fd, 0, SEEK_CUR));
    T(write(fd, "W", 1));
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    T(ftruncate(fd, 100000));
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    static char buf[100000];
    ssize_t n = 0, r;
    while (n < (ssize_t)sizeof buf && (r = pread(fd, buf + n, sizeof buf - n, n)) > 0)
        n += r;
    int zeros = 0;
    for (ssize_t i = 11; i < n; i++)
        zeros += buf[i] == 0;
    printf("pread=%zd zeros after 11=%d head=", n, zeros);
    print_escaped(buf, 11);
    printf("\n");
    T(ftruncate(fd, 0));
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    T(read(fd, buf, 10));
    T(ftruncate(fd, -1));
    T(ftruncate(fd, 3));
    close(fd);
    show_file("t");
    fd = TFD(open("t", O_RDONLY));
    T(ftruncate(fd, 1));
    close(fd);
    fd = TFD(open("t", O_WRONLY | O_APPEND));
    T(ftruncate(fd, 2));
    T(write(fd, "A", 1));
    close(fd);
    show_file("t");
    T(ftruncate(-1, 0));
}

static void case_eof(void) {
    put_str("e", "short");
    int fd = TFD(open("e", O_RDONLY));
    if (fd < 0)
        return;
    char buf[16];
    T(read(fd, buf, sizeof buf));
    T(read(fd, buf, sizeof buf));
    T(read(fd, buf, sizeof buf));
    T(lseek(fd, 100, SEEK_SET));
    T(read(fd, buf, sizeof buf));
    T(lseek(fd, -2, SEEK_END));
    ssize_t n = T(read(fd, buf, sizeof buf));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    T(lseek(fd, -100, SEEK_END));
    T(lseek(fd, -1, SEEK_SET));
    T(lseek(fd, 0, SEEK_CUR));
    T(lseek(fd, 1, SEEK_CUR));
    T(lseek(fd, (off_t)1 << 40, SEEK_SET));
    T(read(fd, buf, sizeof buf));
    close(fd);
    /* Empty file. */
    put_str("empty", "");
    fd = TFD(open("empty", O_RDONLY));
    T(read(fd, buf, sizeof buf));
    T(lseek(fd, 0, SEEK_END));
    close(fd);
    /* stdio at EOF. */
    FILE *f = TPTR(fopen("e", "r"));
    if (f) {
        n = fread(buf, 1, sizeof buf, f);
        printf("fread=%zd feof=%d ferror=%d\n", n, feof(f) != 0, ferror(f) != 0);
        printf("fgetc=%d feof=%d\n", fgetc(f), feof(f) != 0);
        clearerr(f);
        printf("fgetc after clearerr=%d\n", fgetc(f));
        fclose(f);
    }
    /* A file growing under a reader. */
    fd = TFD(open("e", O_RDONLY));
    int w = TFD(open("e", O_WRONLY | O_APPEND));
    T(read(fd, buf, sizeof buf));
    T(read(fd, buf, sizeof buf));
    T(write(w, "+more", 5));
    n = T(read(fd, buf, sizeof buf));
    print_escaped(buf, n > 0 ? (size_t)n : 0);
    printf("\n");
    close(fd);
    close(w);
}

static uint32_t rng_state;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void case_big(void) {
    const size_t size = 5 * 1024 * 1024 + 12345;
    char *data = malloc(size);
    rng_state = 2463534242u;
    for (size_t i = 0; i < size; i++)
        data[i] = (char)(rng() >> 11);
    uint64_t want = fnv1a(FNV_INIT, data, size);
    static const size_t wchunks[] = {1, 7, 4093, 65537, 1048573, 3, 131071, 511, 2, 8191};
    int fd = TFD(open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (fd < 0)
        return;
    size_t done = 0, k = 0;
    int err = 0;
    while (done < size) {
        size_t c = wchunks[k++ % 10];
        if (c > size - done)
            c = size - done;
        ssize_t n = write(fd, data + done, c);
        if (n <= 0) {
            err = errno;
            break;
        }
        done += (size_t)n;
    }
    printf("wrote %zu of %zu bytes, error=%s\n", done, size, errname(err));
    T(fsync(fd));
    T(close(fd));

    struct stat st;
    T(stat("big.bin", &st));
    printf("size=%lld\n", (long long)st.st_size);

    static const size_t rchunks[] = {10007, 1, 524287, 333, 2097143, 4096, 5};
    char *back = malloc(size + 1);
    fd = TFD(open("big.bin", O_RDONLY));
    if (fd < 0)
        return;
    done = 0;
    k = 0;
    err = 0;
    for (;;) {
        size_t c = rchunks[k++ % 7];
        if (c > size + 1 - done)
            c = size + 1 - done;
        ssize_t n = read(fd, back + done, c);
        if (n < 0)
            err = errno;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    printf("read %zu bytes, error=%s, checksum match=%s, equal=%s\n", done, errname(err), yes(fnv1a(FNV_INIT, back, done) == want), yes(done == size && memcmp(back, data, size) == 0));
    /* Positional spot checks. */
    int spots_ok = 1;
    rng_state = 88172645u;
    for (int i = 0; i < 200; i++) {
        size_t off = rng() % size;
        char b[64];
        size_t len = size - off < sizeof b ? size - off : sizeof b;
        ssize_t n = pread(fd, b, sizeof b, off);
        if (n != (ssize_t)len || memcmp(b, data + off, len) != 0)
            spots_ok = 0;
    }
    printf("pread spot checks ok=%s\n", yes(spots_ok));
    close(fd);

    /* Through stdio with a small buffer and odd fread sizes. */
    FILE *f = TPTR(fopen("big.bin", "rb"));
    if (f) {
        setvbuf(f, NULL, _IOFBF, 1000);
        uint64_t h = FNV_INIT;
        size_t total = 0, n;
        char b[4099];
        k = 0;
        while ((n = fread(b, 1, (k++ % 2) ? 4099 : 17, f)) > 0) {
            h = fnv1a(h, b, n);
            total += n;
        }
        printf("stdio read %zu bytes, checksum match=%s, feof=%d\n", total, yes(h == want), feof(f) != 0);
        fclose(f);
    }
    /* Overwrite the middle through stdio "r+" and check the file. */
    f = TPTR(fopen("big.bin", "r+b"));
    if (f) {
        T(fseek(f, 3 * 1024 * 1024 + 1, SEEK_SET));
        memset(data + 3 * 1024 * 1024 + 1, 'M', 100000);
        printf("fwrite=%zu\n", fwrite(data + 3 * 1024 * 1024 + 1, 1, 100000, f));
        T(fclose(f));
        errno = 0;
        long n = get_file("big.bin", back, size + 1);
        printf("after overwrite: %ld bytes, equal=%s\n", n, yes(n == (long)size && memcmp(back, data, size) == 0));
    }
    free(data);
    free(back);
}

static void case_sync_advise(void) {
    put_str("f", "data");
    T(mkdir("d", 0755));
    int rw = TFD(open("f", O_RDWR));
    int ro = TFD(open("f", O_RDONLY));
    int dir = TFD(open("d", O_RDONLY | O_DIRECTORY));
    T(fsync(rw));
    T(fdatasync(rw));
    T(fsync(ro));
    T(fdatasync(ro));
    T(fsync(dir));
    T(fdatasync(dir));
    T(fsync(-1));
    T(fsync(4242));
    TERR(posix_fadvise(rw, 0, 0, POSIX_FADV_NORMAL));
    TERR(posix_fadvise(rw, 0, 4, POSIX_FADV_SEQUENTIAL));
    TERR(posix_fadvise(rw, 1, 2, POSIX_FADV_RANDOM));
    TERR(posix_fadvise(ro, 0, 100, POSIX_FADV_WILLNEED));
    TERR(posix_fadvise(ro, 0, 100, POSIX_FADV_DONTNEED));
    TERR(posix_fadvise(ro, 0, 100, POSIX_FADV_NOREUSE));
    TERR(posix_fadvise(ro, -1, 100, POSIX_FADV_NORMAL));
    TERR(posix_fadvise(ro, 0, -1, POSIX_FADV_NORMAL));
    TERR(posix_fadvise(dir, 0, 0, POSIX_FADV_NORMAL));
    TERR(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL));
    TERR(posix_fallocate(rw, 0, 100));
    TERR(posix_fallocate(rw, 0, 0));
    TERR(posix_fallocate(rw, -1, 10));
    TERR(posix_fallocate(ro, 0, 100));
    TERR(posix_fallocate(dir, 0, 100));
    TERR(posix_fallocate(-1, 0, 100));
    struct stat st;
    fstat(rw, &st);
    printf("size after fallocate attempts=%lld\n", (long long)st.st_size);
    close(rw);
    close(ro);
    close(dir);
}

/* Many descriptors open at once, each with its own contents and position. */
static void case_many_fds(void) {
    enum { N = 300 };
    static int fds[N];
    char name[32], buf[64];
    int opened = 0;
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "f%03d", i);
        fds[i] = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fds[i] < 0) {
            printf("open %s: %s\n", name, errname(errno));
            break;
        }
        opened++;
    }
    int distinct = 1;
    for (int i = 0; i < opened && distinct; i++)
        for (int j = i + 1; j < opened; j++)
            if (fds[i] == fds[j]) {
                distinct = 0;
                break;
            }
    printf("opened %d, distinct=%s, none is stdio=%s\n", opened, yes(distinct), yes(opened == 0 || fds[0] > 2));
    for (int i = 0; i < opened; i++) {
        int len = snprintf(buf, sizeof buf, "contents of %d\n", i);
        write(fds[i], buf, (size_t)len);
    }
    /* Close every other one; the rest must be unaffected. */
    for (int i = 0; i < opened; i += 2)
        close(fds[i]);
    int ok = 1;
    for (int i = 1; i < opened; i += 2) {
        char want[64];
        int len = snprintf(want, sizeof want, "contents of %d\n", i);
        ssize_t n = pread(fds[i], buf, sizeof buf, 0);
        if (n != len || memcmp(buf, want, (size_t)len) != 0)
            ok = 0;
        if (lseek(fds[i], 0, SEEK_CUR) != len)
            ok = 0;
    }
    printf("odd descriptors intact=%s\n", yes(ok));
    /* Reopen into the holes. */
    int reopened = 0;
    for (int i = 0; i < opened; i += 2) {
        snprintf(name, sizeof name, "f%03d", i);
        fds[i] = open(name, O_RDONLY);
        if (fds[i] >= 0)
            reopened++;
    }
    ok = 1;
    for (int i = 0; i < opened; i++) {
        char want[64];
        int len = snprintf(want, sizeof want, "contents of %d\n", i);
        ssize_t n = pread(fds[i], buf, sizeof buf, 0);
        if (n != len || memcmp(buf, want, (size_t)len) != 0)
            ok = 0;
    }
    printf("reopened %d, all contents correct=%s\n", reopened, yes(ok));
    for (int i = 0; i < opened; i++)
        close(fds[i]);
    for (int i = 0; i < opened; i++) {
        snprintf(name, sizeof name, "f%03d", i);
        unlink(name);
    }
    /* Open and close repeatedly. */
    int churn_ok = 1;
    for (int i = 0; i < 2000; i++) {
        int fd = open("churn", O_WRONLY | O_CREAT, 0644);
        if (fd < 0 || close(fd) != 0) {
            churn_ok = 0;
            break;
        }
    }
    printf("2000 open/close cycles ok=%s\n", yes(churn_ok));
}

/* The scenario's directory is preopened read-only: reads work, writes fail. */
static void case_readonly(void) {
    show_file("ro.txt");
    show_file("rodir/inner.txt");
    struct stat st;
    T(stat("ro.txt", &st));
    int fd;
    fd = TFD(open("ro.txt", O_RDONLY));
    if (fd >= 0) {
        char buf[8];
        T(read(fd, buf, sizeof buf));
        T(write(fd, "x", 1));
        T(ftruncate(fd, 0));
        T(fsync(fd));
        struct timespec t[2] = {{1, 0}, {2, 0}};
        T(futimens(fd, t));
        close(fd);
    }
    fd = TFD(open("ro.txt", O_WRONLY));
    fd = TFD(open("ro.txt", O_RDWR));
    fd = TFD(open("ro.txt", O_WRONLY | O_APPEND));
    fd = TFD(open("ro.txt", O_RDONLY | O_TRUNC));
    fd = TFD(open("new.txt", O_WRONLY | O_CREAT, 0644));
    fd = TFD(open("new.txt", O_RDONLY | O_CREAT, 0644));
    fd = TFD(open("ro.txt", O_RDONLY | O_CREAT, 0644));
    if (fd >= 0)
        close(fd);
    TPTR(fopen("ro.txt", "w"));
    TPTR(fopen("ro.txt", "a"));
    TPTR(fopen("ro.txt", "r+"));
    FILE *f = TPTR(fopen("ro.txt", "r"));
    if (f)
        fclose(f);
    T(mkdir("newdir", 0755));
    T(unlink("ro.txt"));
    T(rmdir("rodir"));
    T(rename("ro.txt", "moved.txt"));
    T(symlink("ro.txt", "link"));
    T(link("ro.txt", "hard"));
    struct timespec t[2] = {{1, 0}, {2, 0}};
    T(utimensat(AT_FDCWD, "ro.txt", t, 0));
    DIR *d = TPTR(opendir("rodir"));
    if (d) {
        int n = 0;
        while (readdir(d))
            n++;
        printf("rodir entries (with . and ..) = %d\n", n);
        closedir(d);
    }
    fd = TFD(open("rodir", O_RDONLY | O_DIRECTORY));
    if (fd >= 0) {
        T(openat(fd, "inner.txt", O_RDONLY) >= 0);
        TFD(openat(fd, "inner.txt", O_WRONLY));
        close(fd);
    }
}

/* An invalid whence is not an errno but an invalid enum value: a trap. */
static void case_bad_whence(void) {
    put_str("w", "x");
    int fd = TFD(open("w", O_RDONLY));
    T(lseek(fd, 0, 42));
    printf("not reached\n");
}

static void case_bad_advice(void) {
    put_str("a", "x");
    int fd = TFD(open("a", O_RDONLY));
    TERR(posix_fadvise(fd, 0, 100, 77));
    printf("not reached\n");
}

static const struct fs_case cases[] = {
    {"fopen_modes", case_fopen_modes},
    {"stdio", case_stdio},
    {"open_flags", case_open_flags},
    {"append", case_append},
    {"pread_pwrite", case_pread_pwrite},
    {"truncate", case_truncate},
    {"eof", case_eof},
    {"big", case_big},
    {"sync_advise", case_sync_advise},
    {"many_fds", case_many_fds},
    {"readonly", case_readonly},
    {"bad_whence", case_bad_whence},
    {"bad_advice", case_bad_advice},
};

int main(int argc, char **argv) {
    return RUN_CASES(argc, argv, cases);
}
