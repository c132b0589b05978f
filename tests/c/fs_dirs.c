/* Directory listing through libc: opendir/readdir/closedir, rewinddir,
 * telldir/seekdir, fdopendir, scandir, nested walks, and listing while the
 * directory changes. Listings are sorted by name before printing. */

#include "fs_common.h"

struct listing {
    char **names;
    unsigned char *types;
    size_t count;
    int dot, dotdot, dup, err;
};

static void listing_free(struct listing *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    free(l->types);
    memset(l, 0, sizeof *l);
}

static void listing_add(struct listing *l, const struct dirent *d) {
    if (strcmp(d->d_name, ".") == 0) {
        l->dot++;
        return;
    }
    if (strcmp(d->d_name, "..") == 0) {
        l->dotdot++;
        return;
    }
    l->names = realloc(l->names, (l->count + 1) * sizeof *l->names);
    l->types = realloc(l->types, l->count + 1);
    l->names[l->count] = strdup(d->d_name);
    l->types[l->count] = d->d_type;
    l->count++;
}

/* Reads every remaining entry of an open stream into l. */
static void listing_read(struct listing *l, DIR *dir) {
    for (;;) {
        errno = 0;
        struct dirent *d = readdir(dir);
        if (d == NULL) {
            l->err = errno;
            break;
        }
        listing_add(l, d);
    }
}

struct named {
    char *name;
    unsigned char type;
};

static int cmp_named(const void *a, const void *b) {
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void listing_sort(struct listing *l) {
    /* Sort names and types together. */
    size_t n = l->count;
    struct named *pairs = malloc((n + 1) * sizeof *pairs);
    for (size_t i = 0; i < n; i++) {
        pairs[i].name = l->names[i];
        pairs[i].type = l->types[i];
    }
    qsort(pairs, n, sizeof *pairs, cmp_named);
    for (size_t i = 0; i < n; i++) {
        l->names[i] = pairs[i].name;
        l->types[i] = pairs[i].type;
    }
    free(pairs);
    l->dup = 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp(l->names[i - 1], l->names[i]) == 0)
            l->dup++;
}

static const char *dtype(unsigned char t) {
    switch (t) {
    case DT_REG: return "file";
    case DT_DIR: return "dir";
    case DT_LNK: return "symlink";
    case DT_UNKNOWN: return "unknown";
    default: return "other";
    }
}

static uint64_t listing_hash(const struct listing *l) {
    uint64_t h = FNV_INIT;
    for (size_t i = 0; i < l->count; i++) {
        h = fnv1a(h, l->names[i], strlen(l->names[i]) + 1);
        h = fnv1a(h, &l->types[i], 1);
    }
    return h;
}

/* Prints a sorted listing: all names if there are at most `full`, else the
 * first and last three and a hash of all of them. */
static void listing_print(const char *what, struct listing *l, size_t full) {
    listing_sort(l);
    printf("%s: count=%zu dot=%d dotdot=%d duplicates=%d end_errno=%s\n", what, l->count, l->dot, l->dotdot, l->dup, errname(l->err));
    for (size_t i = 0; i < l->count; i++) {
        if (l->count > full && i == 3) {
            printf("  ...\n");
            i = l->count - 4;
            continue;
        }
        printf("  %s %s\n", dtype(l->types[i]), l->names[i]);
    }
    if (l->count > full)
        printf("  hash=%016llx\n", (unsigned long long)listing_hash(l));
}

static void list_path(const char *path, size_t full) {
    DIR *dir = opendir(path);
    if (dir == NULL) {
        printf("opendir(%s): %s\n", path, errname(errno));
        return;
    }
    struct listing l = {0};
    listing_read(&l, dir);
    listing_print(path, &l, full);
    listing_free(&l);
    errno = 0;
    int rc = closedir(dir);
    printf("closedir(%s) = %d %s\n", path, rc, errname(rc ? errno : 0));
}

/* Names of varying length (up to 255 bytes) so that entries straddle the
 * edges of libc's readdir buffer. */
static void make_name(char *buf, int i) {
    int len = snprintf(buf, 300, "f%04d_", i);
    int extra = (i * 37) % 250;
    if (i % 100 == 99)
        extra = 255 - len;
    for (int k = 0; k < extra && len < 255; k++)
        buf[len++] = (char)('a' + (i + k) % 26);
    buf[len] = 0;
}

static void create_files(const char *dir, int n) {
    char name[300], path[600];
    int failed = 0;
    for (int i = 0; i < n; i++) {
        make_name(name, i);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) {
            if (!failed)
                printf("create %s: %s\n", path, errname(errno));
            failed++;
            continue;
        }
        close(fd);
    }
    printf("created %d files in %s, %d failed\n", n - failed, dir, failed);
}

/* Checks that the listing holds exactly make_name(0..n). */
static void expect_names(struct listing *l, int n) {
    listing_sort(l);
    char **want = malloc(n * sizeof *want);
    for (int i = 0; i < n; i++) {
        want[i] = malloc(300);
        make_name(want[i], i);
    }
    qsort(want, n, sizeof *want, cmp_str);
    int same = l->count == (size_t)n;
    for (int i = 0; same && i < n; i++)
        same = strcmp(want[i], l->names[i]) == 0 && l->types[i] == DT_REG;
    printf("exactly the created names, all regular files: %s\n", yes(same));
    for (int i = 0; i < n; i++)
        free(want[i]);
    free(want);
}

static void case_empty(void) {
    T(mkdir("empty", 0755));
    list_path("empty", 100);
    list_path("./empty/", 100);
    list_path(SANDBOX "/empty", 100);
}

static void case_one(void) {
    T(mkdir("one", 0755));
    put_str("one/only.txt", "x");
    list_path("one", 100);
}

static void case_fifty(void) {
    T(mkdir("fifty", 0755));
    char path[64];
    for (int i = 0; i < 47; i++) {
        snprintf(path, sizeof path, "fifty/file%02d.txt", i);
        put_str(path, path);
    }
    T(mkdir("fifty/subdir", 0755));
    T(symlink("file00.txt", "fifty/link"));
    T(symlink("missing", "fifty/dangling"));
    list_path("fifty", 100);
}

/* 1000 entries provided by the scenario in big/. */
static void case_thousand(void) {
    DIR *dir = TPTR(opendir("big"));
    if (!dir)
        return;
    struct listing l = {0};
    listing_read(&l, dir);
    listing_print("big", &l, 20);
    expect_names(&l, 1000);
    listing_free(&l);
    T(closedir(dir));
}

/* 1000 entries created by the program. */
static void case_thousand_created(void) {
    T(mkdir("made", 0755));
    create_files("made", 1000);
    DIR *dir = TPTR(opendir("made"));
    if (!dir)
        return;
    struct listing l = {0};
    listing_read(&l, dir);
    listing_print("made", &l, 20);
    expect_names(&l, 1000);
    listing_free(&l);
    T(closedir(dir));
}

/* The scenario directory itself, by absolute and relative names. */
static void case_preopen(void) {
    list_path(SANDBOX, 100);
    list_path(".", 100);
    list_path(SANDBOX "/", 100);
    list_path("sub/..", 100);
    list_path("/", 100);
    list_path("/other", 100);
}

static void case_rewind(void) {
    T(mkdir("r", 0755));
    put_str("r/a", "a");
    put_str("r/b", "b");
    put_str("r/c", "c");
    DIR *dir = TPTR(opendir("r"));
    if (!dir)
        return;
    struct dirent *d;
    int n = 0;
    while (n < 3 && (d = readdir(dir)) != NULL)
        n++;
    printf("read %d entries before rewind\n", n);
    rewinddir(dir);
    struct listing l = {0};
    listing_read(&l, dir);
    listing_print("after rewind", &l, 100);
    listing_free(&l);
    /* The end stays the end. */
    errno = 0;
    d = readdir(dir);
    printf("readdir at end again: %s errno=%s\n", d ? d->d_name : "NULL", errname(errno));
    /* Changes made while open show after a rewind. */
    put_str("r/d", "d");
    T(unlink("r/a"));
    rewinddir(dir);
    listing_read(&l, dir);
    listing_print("after changes and rewind", &l, 100);
    listing_free(&l);
    /* Rewind twice in a row, then read again. */
    rewinddir(dir);
    rewinddir(dir);
    listing_read(&l, dir);
    listing_print("after double rewind", &l, 100);
    listing_free(&l);
    T(closedir(dir));
}

/* telldir before each readdir, then seekdir back to each remembered position
 * in a scrambled order: the same entry must come back. */
static void seek_check(const char *path) {
    DIR *dir = opendir(path);
    if (!dir) {
        printf("opendir(%s): %s\n", path, errname(errno));
        return;
    }
    size_t cap = 16, n = 0;
    long *pos = malloc(cap * sizeof *pos);
    char **names = malloc(cap * sizeof *names);
    for (;;) {
        long p = telldir(dir);
        errno = 0;
        struct dirent *d = readdir(dir);
        if (!d) {
            if (errno)
                printf("readdir: %s\n", errname(errno));
            break;
        }
        if (n == cap) {
            cap *= 2;
            pos = realloc(pos, cap * sizeof *pos);
            names = realloc(names, cap * sizeof *names);
        }
        pos[n] = p;
        names[n] = strdup(d->d_name);
        n++;
    }
    long end = telldir(dir);
    int distinct = 1;
    for (size_t i = 0; i < n && distinct; i++)
        for (size_t j = i + 1; j < n; j++)
            if (pos[i] == pos[j]) {
                distinct = 0;
                break;
            }
    int ok = 1, checked = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = (k * 7919 + 13) % n;
        seekdir(dir, pos[i]);
        errno = 0;
        struct dirent *d = readdir(dir);
        if (!d || strcmp(d->d_name, names[i]) != 0) {
            if (ok)
                printf("seekdir to position of entry %zu gave %s (errno %s)\n", i, d ? "another name" : "NULL", errname(errno));
            ok = 0;
        }
        /* And the one after it follows. */
        if (d && i + 1 < n) {
            d = readdir(dir);
            if (!d || strcmp(d->d_name, names[i + 1]) != 0) {
                if (ok)
                    printf("entry after %zu differs after seekdir\n", i);
                ok = 0;
            }
        }
        checked++;
    }
    seekdir(dir, end);
    errno = 0;
    struct dirent *d = readdir(dir);
    printf("%s: entries=%zu positions distinct=%s seekdir checked=%d consistent=%s at end after seekdir(end): %s\n", path, n, yes(distinct), checked, yes(ok), d ? "entry" : "NULL");
    /* Seek to the start position equals a rewind. */
    if (n > 0) {
        seekdir(dir, pos[0]);
        size_t again = 0;
        while (readdir(dir))
            again++;
        printf("%s: after seekdir(first) read %zu entries\n", path, again);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(pos);
    closedir(dir);
}

static void case_seek(void) {
    T(mkdir("s", 0755));
    put_str("s/one", "1");
    put_str("s/two", "2");
    T(mkdir("s/three", 0755));
    seek_check("s");
    T(mkdir("s2", 0755));
    create_files("s2", 600);
    seek_check("s2");
}

static void walk(const char *path, int depth) {
    DIR *dir = opendir(path);
    if (!dir) {
        printf("opendir(%s): %s\n", path, errname(errno));
        return;
    }
    struct listing l = {0};
    listing_read(&l, dir);
    closedir(dir);
    listing_sort(&l);
    for (size_t i = 0; i < l.count; i++) {
        char child[1024];
        snprintf(child, sizeof child, "%s/%s", path, l.names[i]);
        printf("%*s%s %s\n", depth * 2, "", dtype(l.types[i]), child);
        if (l.types[i] == DT_DIR)
            walk(child, depth + 1);
    }
    listing_free(&l);
}

static void case_nested(void) {
    T(mkdir("n", 0755));
    T(mkdir("n/a", 0755));
    T(mkdir("n/a/b", 0755));
    T(mkdir("n/a/b/c", 0755));
    T(mkdir("n/a/b/c/d", 0755));
    T(mkdir("n/e", 0755));
    put_str("n/top.txt", "t");
    put_str("n/a/in_a.txt", "a");
    put_str("n/a/b/c/d/deep.txt", "d");
    put_str("n/e/in_e", "e");
    T(symlink("a/b", "n/link_to_b"));
    walk("n", 0);
    /* Several streams open at once, on nested directories. */
    DIR *outer = TPTR(opendir("n"));
    DIR *inner = TPTR(opendir("n/a/b"));
    DIR *deep = TPTR(opendir("n/a/b/c/d"));
    if (outer && inner && deep) {
        struct listing a = {0}, b = {0}, c = {0};
        /* Interleave. */
        for (;;) {
            struct dirent *x = readdir(outer), *y = readdir(inner), *z = readdir(deep);
            if (x)
                listing_add(&a, x);
            if (y)
                listing_add(&b, y);
            if (z)
                listing_add(&c, z);
            if (!x && !y && !z)
                break;
        }
        listing_print("interleaved n", &a, 100);
        listing_print("interleaved n/a/b", &b, 100);
        listing_print("interleaved n/a/b/c/d", &c, 100);
        listing_free(&a);
        listing_free(&b);
        listing_free(&c);
    }
    if (outer)
        closedir(outer);
    if (inner)
        closedir(inner);
    if (deep)
        closedir(deep);
    /* fdopendir on a directory descriptor from openat. */
    int fd = TFD(open("n", O_RDONLY | O_DIRECTORY));
    if (fd >= 0) {
        int sub = TFD(openat(fd, "a/b/c", O_RDONLY | O_DIRECTORY));
        if (sub >= 0) {
            DIR *dir = TPTR(fdopendir(sub));
            if (dir) {
                printf("dirfd matches: %s\n", yes(dirfd(dir) == sub));
                struct listing l = {0};
                listing_read(&l, dir);
                listing_print("fdopendir n/a/b/c", &l, 100);
                listing_free(&l);
                T(closedir(dir));
            }
        }
        close(fd);
    }
    /* Through the symlink. */
    list_path("n/link_to_b", 100);
    list_path("n/link_to_b/c/", 100);
}

static int not_hidden(const struct dirent *d) {
    return d->d_name[0] != '.';
}

static void case_scandir(void) {
    T(mkdir("sc", 0755));
    put_str("sc/zeta", "");
    put_str("sc/alpha", "");
    put_str("sc/.hidden", "");
    T(mkdir("sc/mid", 0755));
    struct dirent **list;
    int n = T(scandir("sc", &list, NULL, alphasort));
    for (int i = 0; i < n; i++) {
        printf("  %s %s\n", dtype(list[i]->d_type), list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    n = T(scandir("sc", &list, not_hidden, alphasort));
    for (int i = 0; i < n; i++) {
        printf("  %s\n", list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    T(scandir("missing", &list, NULL, alphasort));
}

/* Entries added or removed while a stream is open. POSIX leaves it
 * unspecified whether those show up, but every untouched entry must. */
static void case_modify(void) {
    T(mkdir("m", 0755));
    put_str("m/keep1", "");
    put_str("m/keep2", "");
    put_str("m/gone", "");
    DIR *dir = TPTR(opendir("m"));
    if (!dir)
        return;
    struct listing l = {0};
    struct dirent *d = readdir(dir);
    if (d)
        listing_add(&l, d);
    T(unlink("m/gone"));
    put_str("m/added", "");
    T(mkdir("m/added_dir", 0755));
    listing_read(&l, dir);
    listing_sort(&l);
    int k1 = 0, k2 = 0;
    for (size_t i = 0; i < l.count; i++) {
        k1 += strcmp(l.names[i], "keep1") == 0;
        k2 += strcmp(l.names[i], "keep2") == 0;
    }
    printf("small dir while changing: keep1 seen %d, keep2 seen %d, dot=%d dotdot=%d\n", k1, k2, l.dot, l.dotdot);
    listing_free(&l);
    rewinddir(dir);
    listing_read(&l, dir);
    listing_print("after rewind", &l, 100);
    listing_free(&l);
    T(closedir(dir));

    /* A large directory (several fd_readdir calls): files added half way. */
    T(mkdir("mb", 0755));
    create_files("mb", 400);
    dir = TPTR(opendir("mb"));
    if (!dir)
        return;
    for (int i = 0; i < 150; i++) {
        d = readdir(dir);
        if (!d)
            break;
        listing_add(&l, d);
    }
    char path[64];
    for (int i = 0; i < 100; i++) {
        snprintf(path, sizeof path, "mb/new%03d", i);
        put_str(path, "");
    }
    listing_read(&l, dir);
    listing_sort(&l);
    char name[300];
    int missing = 0;
    for (int i = 0; i < 400; i++) {
        make_name(name, i);
        char *key = name;
        if (!bsearch(&key, l.names, l.count, sizeof *l.names, cmp_str))
            missing++;
    }
    printf("large dir while adding: original entries missing=%d end_errno=%s\n", missing, errname(l.err));
    listing_free(&l);
    rewinddir(dir);
    listing_read(&l, dir);
    listing_print("mb after rewind", &l, 20);
    listing_free(&l);
    T(closedir(dir));

    /* Removing every entry while reading, one per readdir, across several
     * fd_readdir calls. Whether later entries are affected is not
     * specified; print only what must hold. */
    T(mkdir("md", 0755));
    create_files("md", 30);
    dir = TPTR(opendir("md"));
    if (!dir)
        return;
    int removed = 0, foreign = 0;
    char rpath[600];
    while ((d = readdir(dir)) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        listing_add(&l, d);
        if (strncmp(d->d_name, "f00", 3) != 0)
            foreign++;
        snprintf(rpath, sizeof rpath, "md/%s", d->d_name);
        if (unlink(rpath) == 0)
            removed++;
    }
    listing_sort(&l);
    printf("remove while reading: some removed=%s duplicates=%d foreign=%d\n", yes(removed > 0), l.dup, foreign);
    listing_free(&l);
    rewinddir(dir);
    listing_read(&l, dir);
    printf("md after rewind: remaining+removed=%zu\n", l.count + removed);
    /* What is left depends on the above: remove it, so the final tree does
     * not. */
    for (size_t i = 0; i < l.count; i++) {
        snprintf(rpath, sizeof rpath, "md/%s", l.names[i]);
        unlink(rpath);
    }
    listing_free(&l);
    T(closedir(dir));
    T(rmdir("md"));
}

static void case_errors(void) {
    put_str("file", "x");
    TPTR(opendir("missing"));
    TPTR(opendir("file"));
    TPTR(opendir("file/"));
    TPTR(opendir("missing/sub"));
    TPTR(opendir(""));
    T(symlink("missing", "dangling"));
    TPTR(opendir("dangling"));
    int fd = TFD(open("file", O_RDONLY));
    if (fd >= 0) {
        DIR *dir = TPTR(fdopendir(fd));
        if (dir)
            closedir(dir);
        else
            close(fd);
    }
    /* A directory removed while its stream is open. */
    T(mkdir("doomed", 0755));
    put_str("doomed/f", "");
    DIR *dir = TPTR(opendir("doomed"));
    T(unlink("doomed/f"));
    T(rmdir("doomed"));
    if (dir) {
        errno = 0;
        struct dirent *d = readdir(dir);
        int e = errno;
        int n = 0;
        while (d) {
            n++;
            errno = 0;
            d = readdir(dir);
            e = errno;
        }
        printf("readdir of removed dir: entries=%d errno=%s\n", n, errname(e));
        T(closedir(dir));
    }
}

static const struct fs_case cases[] = {
    {"empty", case_empty},
    {"one", case_one},
    {"fifty", case_fifty},
    {"thousand", case_thousand},
    {"thousand_created", case_thousand_created},
    {"preopen", case_preopen},
    {"rewind", case_rewind},
    {"seek", case_seek},
    {"nested", case_nested},
    {"scandir", case_scandir},
    {"modify", case_modify},
    {"errors", case_errors},
};

int main(int argc, char **argv) {
    return RUN_CASES(argc, argv, cases);
}
