/* Directory entries through libc: rename, unlink, rmdir, mkdir, symlink and
 * readlink (with truncation), symlink loops, hard links, unicode names, long
 * names, and a realpath-style walk of a nested path with fstatat/openat. */

#include "fs_common.h"

static void case_rename(void) {
    put_str("a", "file a");
    put_str("b", "file b");
    T(rename("a", "a2"));
    show_file("a");
    show_file("a2");
    /* File over an existing file: replaced. */
    T(rename("a2", "b"));
    show_file("a2");
    show_file("b");
    /* To itself, and between names of one inode. */
    T(rename("b", "b"));
    T(link("b", "b_link"));
    T(rename("b", "b_link"));
    show_stat("b");
    show_stat("b_link");
    /* Directories. */
    T(mkdir("d1", 0755));
    put_str("d1/inside", "inside d1");
    T(mkdir("empty", 0755));
    T(mkdir("full", 0755));
    put_str("full/x", "x");
    T(rename("d1", "empty"));
    show_file("empty/inside");
    show_stat("d1");
    T(rename("empty", "full"));
    T(rename("b", "full"));
    T(rename("full", "b"));
    T(rename("full", "full/sub"));
    T(rename("full", "full/x/y"));
    T(rename("missing", "m2"));
    T(rename("b", "missing_dir/b"));
    T(rename("b", "b/"));
    T(rename("b/", "c"));
    T(rename("full/", "full2/"));
    show_stat("full2/x");
    T(rename("full2", "full2/."));
    T(rename(".", "dot"));
    T(rename("full2/..", "up"));
    T(rename("", "x"));
    T(rename("b", ""));
    /* Across directories and back. */
    T(mkdir("p", 0755));
    T(mkdir("q", 0755));
    put_str("p/f", "moving");
    T(rename("p/f", "q/f"));
    T(rename("q/f", "q/../p/./g"));
    show_file("p/g");
    /* renameat with directory descriptors. */
    int pd = TFD(open("p", O_RDONLY | O_DIRECTORY));
    int qd = TFD(open("q", O_RDONLY | O_DIRECTORY));
    T(renameat(pd, "g", qd, "h"));
    T(renameat(qd, "h", pd, "../escaped"));
    T(renameat(qd, "h", AT_FDCWD, "top"));
    show_file("top");
    close(pd);
    close(qd);
    /* Symlinks are renamed, not their targets. */
    T(symlink("top", "sl"));
    T(rename("sl", "sl2"));
    show_lstat("sl2");
    show_file("sl2");
    T(symlink("nowhere", "dangling"));
    T(rename("dangling", "dangling2"));
    show_lstat("dangling2");
    /* Over a symlink: the link is replaced. */
    T(rename("top", "sl2"));
    show_lstat("sl2");
    /* A directory over a symlink to a directory. */
    T(mkdir("dd", 0755));
    T(symlink("q", "qlink"));
    T(rename("dd", "qlink"));
    show_lstat("qlink");
}

static void case_unlink_rmdir(void) {
    put_str("f", "f");
    T(mkdir("d", 0755));
    T(mkdir("full", 0755));
    put_str("full/x", "");
    T(unlink("f"));
    T(unlink("f"));
    T(unlink("d"));
    T(unlink("d/"));
    T(unlink("missing/x"));
    T(unlink(""));
    T(rmdir("full"));
    T(rmdir("full/x"));
    T(rmdir("missing"));
    T(rmdir("d/."));
    T(rmdir("d/.."));
    T(rmdir("."));
    T(rmdir(""));
    T(rmdir("d/"));
    show_stat("d");
    /* unlinkat and remove. */
    T(mkdir("e", 0755));
    put_str("g", "");
    T(unlinkat(AT_FDCWD, "e", 0));
    T(unlinkat(AT_FDCWD, "g", AT_REMOVEDIR));
    T(unlinkat(AT_FDCWD, "e", AT_REMOVEDIR));
    T(unlinkat(AT_FDCWD, "g", 0));
    T(mkdir("r", 0755));
    put_str("rf", "");
    T(remove("r"));
    T(remove("rf"));
    T(remove("rf"));
    T(remove("full"));
    /* Symlinks: unlink removes the link; rmdir does not follow it. */
    T(mkdir("target", 0755));
    T(symlink("target", "tl"));
    T(rmdir("tl"));
    T(unlink("tl/"));
    T(unlink("tl"));
    show_stat("target");
    T(symlink("nothing", "dl"));
    T(unlink("dl"));
    /* Unlinking a file that is still open: the descriptor keeps working. */
    put_str("open", "still readable");
    int fd = TFD(open("open", O_RDWR));
    T(unlink("open"));
    char buf[32];
    ssize_t n = T(read(fd, buf, sizeof buf));
    if (n > 0)
        printf("read: %.*s\n", (int)n, buf);
    T(write(fd, "+", 1));
    struct stat st;
    T(fstat(fd, &st));
    printf("size=%lld nlink=%llu\n", (long long)st.st_size, (unsigned long long)st.st_nlink);
    close(fd);
    show_stat("open");
    /* Removing a directory that is open. */
    T(mkdir("od", 0755));
    fd = TFD(open("od", O_RDONLY | O_DIRECTORY));
    T(rmdir("od"));
    TFD(openat(fd, "new", O_WRONLY | O_CREAT, 0644));
    T(fstat(fd, &st));
    close(fd);
}

static void case_mkdir(void) {
    T(mkdir("a", 0755));
    T(mkdir("a", 0755));
    put_str("f", "");
    T(mkdir("f", 0755));
    T(mkdir("x/y", 0755));
    T(mkdir("f/y", 0755));
    T(mkdir("a/b/", 0755));
    T(mkdir("a/b/c//", 0755));
    T(mkdir("a/./b/../b/d", 0755));
    T(mkdir("", 0755));
    T(mkdir(".", 0755));
    T(mkdir("..", 0755));
    T(mkdir("a/..", 0755));
    T(mkdir("../outside", 0755));
    T(mkdir(SANDBOX "/abs", 0755));
    T(mkdir(SANDBOX "/../abs2", 0755));
    T(mkdir("mode0", 0));
    show_stat("mode0");
    T(symlink("nowhere", "dangling"));
    T(mkdir("dangling", 0755));
    T(symlink("a", "alink"));
    T(mkdir("alink", 0755));
    T(mkdir("alink/viaLink", 0755));
    show_stat("a/viaLink");
    int fd = TFD(open("a", O_RDONLY | O_DIRECTORY));
    T(mkdirat(fd, "at", 0755));
    T(mkdirat(fd, "at", 0755));
    T(mkdirat(fd, "../escape", 0755));
    close(fd);
    show_stat("a/at");
    /* A deep chain. */
    char path[2048] = "deep";
    int ok = 1, depth = 0;
    for (int i = 0; i < 60; i++) {
        if (mkdir(path, 0755) != 0) {
            printf("mkdir depth %d: %s\n", i, errname(errno));
            ok = 0;
            break;
        }
        depth++;
        strcat(path, "/level");
    }
    put_str("deep/level/level/level/level/level/level/level/level/level/file", "deep file");
    printf("deep chain depth=%d ok=%s path length=%zu\n", depth, yes(ok), strlen(path));
    path[strlen(path) - strlen("/level")] = 0;
    show_stat(path);
    show_file("deep/level/level/level/level/level/level/level/level/level/file");
}

static void case_symlink(void) {
    put_str("target", "target contents");
    T(mkdir("dir", 0755));
    put_str("dir/f", "in dir");
    T(symlink("target", "l"));
    T(symlink("target", "l"));
    T(symlink("whatever", "target"));
    T(symlink("whatever", "dir"));
    T(symlink("whatever", "missing/l"));
    T(symlink("", "empty_target"));
    T(symlink("x", ""));

    char buf[64];
    ssize_t n;
    memset(buf, '#', sizeof buf);
    n = T(readlink("l", buf, sizeof buf));
    printf("  -> \"%.*s\" then '%c'\n", n > 0 ? (int)n : 0, buf, n >= 0 && n < (ssize_t)sizeof buf ? buf[n] : '-');
    /* Buffers shorter than the target: truncated, not terminated. */
    for (size_t len = 0; len <= 7; len++) {
        memset(buf, '#', sizeof buf);
        errno = 0;
        n = readlink("l", buf, len);
        printf("readlink(l, buf, %zu) = %zd %s \"%.*s\" next='%c'\n", len, n, n < 0 ? errname(errno) : "", n > 0 ? (int)n : 0, buf, n >= 0 ? buf[n] : '-');
    }
    T(readlink("target", buf, sizeof buf));
    T(readlink("dir", buf, sizeof buf));
    T(readlink("missing", buf, sizeof buf));
    T(readlink("l/", buf, sizeof buf));
    T(readlink("dir/f/x", buf, sizeof buf));

    /* A long target. */
    char longt[1000];
    memset(longt, 0, sizeof longt);
    for (int i = 0; i < 50; i++)
        strcat(longt, "seg/../");
    strcat(longt, "target");
    T(symlink(longt, "long"));
    static char lbuf[2000];
    n = T(readlink("long", lbuf, sizeof lbuf));
    printf("long target round trip: %s\n", yes(n == (ssize_t)strlen(longt) && memcmp(lbuf, longt, (size_t)n) == 0));
    n = T(readlink("long", lbuf, 100));
    printf("truncated to 100: prefix matches=%s\n", yes(n == 100 && memcmp(lbuf, longt, 100) == 0));
    show_stat("long");

    /* Following links. */
    T(symlink("dir", "dl"));
    T(symlink("dir/", "dl_slash"));
    T(symlink("./dir/../dir/f", "dotted"));
    T(symlink("l", "chain1"));
    T(symlink("chain1", "chain2"));
    T(symlink("chain2", "chain3"));
    show_file("dl/f");
    show_file("dl_slash/f");
    show_file("dotted");
    show_file("chain3");
    show_lstat("chain3");
    n = T(readlink("chain3", buf, sizeof buf));
    printf("  -> \"%.*s\"\n", n > 0 ? (int)n : 0, buf);
    int dfd = TFD(open("dir", O_RDONLY | O_DIRECTORY));
    T(symlinkat("f", dfd, "rel"));
    n = T(readlinkat(dfd, "rel", buf, sizeof buf));
    printf("  -> \"%.*s\"\n", n > 0 ? (int)n : 0, buf);
    show_file("dir/rel");
    close(dfd);
    /* Absolute targets and targets leaving the preopen. */
    T(symlink("/sandbox/target", "abs"));
    show_lstat("abs");
    T(symlink("../target", "up"));
    show_lstat("up");
    show_file("up");
    T(symlink("dir/../../x", "up2"));
    show_file("up2");
    T(symlink("../target", "dir/up"));
    show_file("dir/up");
    /* Writing through a symlink; creating through a dangling one. */
    int fd = TFD(open("l", O_WRONLY | O_APPEND));
    if (fd >= 0) {
        T(write(fd, " + appended", 11));
        close(fd);
    }
    show_file("target");
    T(symlink("created_by_open", "to_create"));
    fd = TFD(open("to_create", O_WRONLY | O_CREAT, 0644));
    if (fd >= 0)
        close(fd);
    show_lstat("created_by_open");
    T(symlink("sub/deeper", "to_missing_dir"));
    fd = TFD(open("to_missing_dir", O_WRONLY | O_CREAT, 0644));
    if (fd >= 0)
        close(fd);
}

static void case_loops(void) {
    put_str("f", "f");
    T(symlink("self", "self"));
    T(symlink("loop_b", "loop_a"));
    T(symlink("loop_a", "loop_b"));
    T(mkdir("d", 0755));
    T(symlink("../d", "d/up"));
    struct stat st;
    TFD(open("self", O_RDONLY));
    TFD(open("loop_a", O_RDONLY));
    TFD(open("loop_a", O_WRONLY | O_CREAT, 0644));
    T(stat("self", &st));
    T(stat("loop_b", &st));
    T(lstat("loop_b", &st));
    printf("lstat(loop_b) is a symlink: %s\n", yes(S_ISLNK(st.st_mode)));
    T(stat("loop_a/x", &st));
    TFD(open("self/x", O_RDONLY));
    T(mkdir("self/x", 0755));
    TPTR(opendir("loop_a"));
    T(access("loop_a", F_OK));
    char buf[32];
    ssize_t n = T(readlink("loop_a", buf, sizeof buf));
    printf("  -> \"%.*s\"\n", n > 0 ? (int)n : 0, buf);
    /* A cycle through a directory is not a loop, just a long path. */
    T(stat("d/up/up/up/up/up/up/up/up", &st));
    printf("is dir: %s\n", yes(S_ISDIR(st.st_mode)));
    /* A chain of exactly N links: find where resolution gives up. */
    char name[32], target[32];
    T(symlink("f", "c0"));
    for (int i = 1; i <= 70; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(target, sizeof target, "c%d", i - 1);
        symlink(target, name);
    }
    int last_ok = -1;
    const char *first_err = "none";
    for (int i = 0; i <= 70; i++) {
        snprintf(name, sizeof name, "c%d", i);
        int fd = open(name, O_RDONLY);
        if (fd >= 0) {
            last_ok = i;
            close(fd);
        } else {
            first_err = errname(errno);
            break;
        }
    }
    printf("chain: longest openable=%d then %s\n", last_ok, first_err);
    T(unlink("self"));
    T(unlink("loop_a"));
}

static void case_link(void) {
    put_str("orig", "original");
    T(mkdir("d", 0755));
    T(link("orig", "hard"));
    T(link("orig", "d/hard2"));
    T(link("orig", "hard"));
    T(link("missing", "x"));
    T(link("orig", "missing_dir/x"));
    T(link("d", "dlink"));
    T(link("orig", "d"));
    T(link("orig/", "y"));
    T(link("orig", "orig"));
    T(link("orig", "../outside"));
    struct stat a, b;
    stat("orig", &a);
    stat("d/hard2", &b);
    printf("nlink=%llu same inode=%s\n", (unsigned long long)a.st_nlink, yes(a.st_ino == b.st_ino));
    /* Writes through one name show through the other. */
    int fd = TFD(open("hard", O_WRONLY | O_APPEND));
    T(write(fd, "+hard", 5));
    close(fd);
    show_file("orig");
    show_file("d/hard2");
    T(unlink("orig"));
    show_file("hard");
    show_stat("hard");
    /* Links to symlinks: linkat without and with AT_SYMLINK_FOLLOW. */
    T(symlink("hard", "sym"));
    T(linkat(AT_FDCWD, "sym", AT_FDCWD, "sym_hard", 0));
    show_lstat("sym_hard");
    T(linkat(AT_FDCWD, "sym", AT_FDCWD, "sym_follow", AT_SYMLINK_FOLLOW));
    show_lstat("sym_follow");
    int dd = TFD(open("d", O_RDONLY | O_DIRECTORY));
    T(linkat(dd, "hard2", AT_FDCWD, "from_dirfd", 0));
    T(linkat(AT_FDCWD, "hard", dd, "into_dirfd", 0));
    T(linkat(dd, "../hard", dd, "escape", 0));
    close(dd);
    show_stat("from_dirfd");
    show_stat("d/into_dirfd");
}

static void case_unicode(void) {
    static const char *names[] = {
        "h\xc3\xa9llo.txt",                       /* héllo, precomposed */
        "he\xcc\x81llo.txt",                      /* héllo, decomposed */
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",  /* 日本語 */
        "emoji \xf0\x9f\xa6\x80",                 /* crab */
        "\xef\xac\x81 ligature",                  /* ﬁ */
        "spaces  and\ttab",
        "new\nline",
        "UPPER",
        "upper",
        "-dash",
        "#hash%percent&amp",
        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", /* Привет */
    };
    size_t n = sizeof names / sizeof *names;
    for (size_t i = 0; i < n; i++) {
        char content[64];
        snprintf(content, sizeof content, "name %zu", i);
        if (put_str(names[i], content) != 0)
            continue;
    }
    T(mkdir("\xce\xb4\xce\xb9\xcf\x81", 0755)); /* διρ */
    put_str("\xce\xb4\xce\xb9\xcf\x81/\xe2\x9c\x93", "check");
    /* List and compare with what was created. */
    DIR *d = TPTR(opendir("."));
    char *seen[64];
    size_t count = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && count < 64) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            seen[count++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(seen, count, sizeof *seen, cmp_str);
    printf("entries=%zu\n", count);
    for (size_t i = 0; i < count; i++) {
        printf("  ");
        for (const unsigned char *p = (const unsigned char *)seen[i]; *p; p++)
            printf(*p >= 0x80 || *p < 0x20 ? "\\x%02x" : "%c", *p);
        struct stat st;
        if (stat(seen[i], &st) == 0)
            printf(" %s\n", type_name(st.st_mode));
        else
            printf(" stat: %s\n", errname(errno));
        free(seen[i]);
    }
    show_file("h\xc3\xa9llo.txt");
    show_file("he\xcc\x81llo.txt");
    show_file("\xce\xb4\xce\xb9\xcf\x81/\xe2\x9c\x93");
    T(rename("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xe4\xb8\xad\xe6\x96\x87")); /* -> 中文 */
    show_file("\xe4\xb8\xad\xe6\x96\x87");
    T(symlink("emoji \xf0\x9f\xa6\x80", "\xf0\x9f\x94\x97"));
    char buf[64];
    ssize_t len = T(readlink("\xf0\x9f\x94\x97", buf, sizeof buf));
    printf("readlink matches: %s\n", yes(len == 10 && memcmp(buf, "emoji \xf0\x9f\xa6\x80", 10) == 0));
    show_file("\xf0\x9f\x94\x97");
    /* Names that are not UTF-8. */
    TFD(open("bad\xff", O_WRONLY | O_CREAT, 0644));
    T(mkdir("bad\xc3", 0755));
    struct stat st;
    T(stat("bad\xed\xa0\x80", &st)); /* an encoded surrogate */
    T(unlink("bad\xff"));
}

static void case_long_names(void) {
    char name[400];
    memset(name, 0, sizeof name);
    memset(name, 'a', 255);
    T(put_str(name, "255"));
    show_stat(name);
    name[255] = 'b';
    TFD(open(name, O_WRONLY | O_CREAT, 0644));
    T(mkdir(name, 0755));
    struct stat st;
    T(stat(name, &st));
    /* 255 bytes of multi-byte characters: 85 three-byte characters. */
    char wide[400] = "";
    for (int i = 0; i < 85; i++)
        strcat(wide, "\xe2\x82\xac"); /* € */
    T(put_str(wide, "euro"));
    show_file(wide);
    strcat(wide, "x");
    TFD(open(wide, O_WRONLY | O_CREAT, 0644));
    /* A long path of short components (kept under PATH_MAX as a whole). */
    char path[4200] = "";
    int made = 0;
    for (int i = 0; i < 250; i++) {
        strcat(path, i ? "/d123456789" : "d123456789");
        if (mkdir(path, 0755) != 0) {
            printf("mkdir at depth %d, path length %zu: %s\n", i, strlen(path), errname(errno));
            break;
        }
        made++;
    }
    printf("made %d levels, path length %zu\n", made, strlen(path));
    strcat(path, "/leaf");
    T(put_str(path, "leaf"));
    show_file(path);
    /* Longer than PATH_MAX. */
    static char huge[6000];
    huge[0] = 0;
    while (strlen(huge) < 5000)
        strcat(huge, "d123456789/");
    strcat(huge, "x");
    T(stat(huge, &st));
    TFD(open(huge, O_WRONLY | O_CREAT, 0644));
}

/* Resolves a path one component at a time, as realpath() would, using
 * fstatat/readlinkat/openat relative to directory descriptors, and prints
 * each step. The current directory is the root; ".." at the root stays
 * there. */
static void walk(const char *path) {
    printf("walk %s\n", path);
    char todo[1024];
    snprintf(todo, sizeof todo, "%s", path);
    char *stack[64];
    int depth = 0, links = 0;
    char *p = todo;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *end = strchr(p, '/');
        char comp[256];
        size_t len = end ? (size_t)(end - p) : strlen(p);
        memcpy(comp, p, len);
        comp[len] = 0;
        p += len;
        if (strcmp(comp, ".") == 0) {
            printf("  . stays\n");
            continue;
        }
        if (strcmp(comp, "..") == 0) {
            if (depth > 0)
                free(stack[--depth]);
            printf("  .. pops (depth %d)\n", depth);
            continue;
        }
        /* Open the current directory from the root, component by component. */
        int dir = open(".", O_RDONLY | O_DIRECTORY);
        for (int i = 0; i < depth && dir >= 0; i++) {
            int next = openat(dir, stack[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
            close(dir);
            dir = next;
        }
        if (dir < 0) {
            printf("  reopening failed: %s\n", errname(errno));
            return;
        }
        struct stat st;
        if (fstatat(dir, comp, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            printf("  %s: %s\n", comp, errname(errno));
            close(dir);
            return;
        }
        if (S_ISLNK(st.st_mode)) {
            char target[512];
            ssize_t n = readlinkat(dir, comp, target, sizeof target - 1);
            close(dir);
            if (n < 0) {
                printf("  %s: readlink %s\n", comp, errname(errno));
                return;
            }
            target[n] = 0;
            if (++links > 20) {
                printf("  %s: too many links\n", comp);
                return;
            }
            printf("  %s is a symlink to %s\n", comp, target);
            if (target[0] == '/') {
                printf("  absolute target: not followed\n");
                return;
            }
            char rest[1024];
            snprintf(rest, sizeof rest, "%s%s", target, p);
            snprintf(todo, sizeof todo, "%s", rest);
            p = todo;
            continue;
        }
        printf("  %s is a %s", comp, type_name(st.st_mode));
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dir, comp, O_RDONLY | O_DIRECTORY);
            printf(", openat %s", sub >= 0 ? "ok" : errname(errno));
            if (sub >= 0)
                close(sub);
        } else {
            printf(" of %lld bytes", (long long)st.st_size);
        }
        printf("\n");
        close(dir);
        if (!S_ISDIR(st.st_mode) && *p) {
            printf("  cannot descend into a %s\n", type_name(st.st_mode));
            return;
        }
        stack[depth++] = strdup(comp);
    }
    printf("  resolved: <root>");
    for (int i = 0; i < depth; i++) {
        printf("/%s", stack[i]);
        free(stack[i]);
    }
    printf("\n");
}

static void case_walk(void) {
    T(mkdir("a", 0755));
    T(mkdir("a/b", 0755));
    T(mkdir("a/b/c", 0755));
    T(mkdir("d", 0755));
    put_str("d/file", "the file");
    T(symlink("../../d", "a/b/to_d"));
    T(symlink("to_d/file", "a/b/to_file"));
    T(symlink("b/to_file", "a/indirect"));
    T(symlink("/etc", "a/abs"));
    T(symlink("loop2", "a/loop1"));
    T(symlink("loop1", "a/loop2"));
    walk("a/b/../b/./c/../to_d/file");
    walk("a/indirect");
    walk("/a/b/to_d/");
    walk("../../a/b");
    walk("a/b/missing/x");
    walk("d/file/x");
    walk("a/abs/passwd");
    walk("a/loop1");
    /* The same lookups by libc in one call each, for comparison. */
    struct stat st;
    T(stat("a/b/../b/./c/../to_d/file", &st));
    T(stat("a/indirect", &st));
    T(stat("a/b/missing/x", &st));
    T(stat("d/file/x", &st));
    T(stat("a/loop1", &st));
    /* openat relative to a subdirectory cannot climb out of it. */
    int fd = TFD(open("a/b", O_RDONLY | O_DIRECTORY));
    TFD(openat(fd, "..", O_RDONLY | O_DIRECTORY));
    T(openat(fd, "c/..", O_RDONLY | O_DIRECTORY) >= 0);
    TFD(openat(fd, "c/../..", O_RDONLY | O_DIRECTORY));
    TFD(openat(fd, "to_d/file", O_RDONLY));
    TFD(openat(fd, "to_file", O_RDONLY));
    T(fstatat(fd, "to_d", &st, 0));
    T(fstatat(fd, "to_d", &st, AT_SYMLINK_NOFOLLOW));
    close(fd);
}

static const struct fs_case cases[] = {
    {"rename", case_rename},
    {"unlink_rmdir", case_unlink_rmdir},
    {"mkdir", case_mkdir},
    {"symlink", case_symlink},
    {"loops", case_loops},
    {"link", case_link},
    {"unicode", case_unicode},
    {"long_names", case_long_names},
    {"walk", case_walk},
};

int main(int argc, char **argv) {
    return RUN_CASES(argc, argv, cases);
}
