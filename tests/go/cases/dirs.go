package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// readdir lists a directory of many files (the scenario gives "many/"),
// all at once and in batches, and a directory of mixed entry types.
func readdir() {
	sandbox()
	entries := check(os.ReadDir("many"))
	fmt.Printf("many: %d entries, first %s, last %s\n", len(entries), entries[0].Name(), entries[len(entries)-1].Name())
	var total int64
	var names []string
	for _, e := range entries {
		info := check(e.Info())
		total += info.Size()
		names = append(names, e.Name())
		if !info.Mode().IsRegular() || e.IsDir() {
			fmt.Printf("unexpected type: %s %v\n", e.Name(), info.Mode())
		}
	}
	fmt.Printf("many: total size %d, names crc %08x\n", total, sum([]byte(strings.Join(names, "/"))))

	// In batches of 7 names: every entry exactly once.
	f := check(os.Open("many"))
	var batched []string
	batches := 0
	for {
		part, err := f.Readdirnames(7)
		batched = append(batched, part...)
		if err == io.EOF {
			break
		}
		must(err)
		batches++
	}
	must(f.Close())
	slices.Sort(batched)
	fmt.Printf("batched: %d names in %d batches, same as ReadDir %v\n", len(batched), batches, slices.Equal(batched, names))

	// Reading the listing again from the start through the same handle.
	f = check(os.Open("many"))
	first := check(f.Readdirnames(5))
	_, err := f.Seek(0, io.SeekStart)
	show("seek dir to 0", err)
	again := check(f.Readdirnames(-1))
	fmt.Printf("reread: first batch %d, then %d\n", len(first), len(again))
	must(f.Close())

	// Mixed types.
	must(os.Mkdir("mixed", 0o755))
	must(os.Mkdir("mixed/sub", 0o755))
	must(os.WriteFile("mixed/file", []byte("x"), 0o644))
	must(os.Symlink("file", "mixed/link"))
	must(os.Symlink("nowhere", "mixed/dangling"))
	for _, e := range check(os.ReadDir("mixed")) {
		fmt.Printf("mixed/%s: dir=%v type=%v\n", e.Name(), e.IsDir(), e.Type())
	}
	// Readdir (FileInfo for each, following nothing).
	f = check(os.Open("mixed"))
	infos := check(f.Readdir(-1))
	must(f.Close())
	slices.SortFunc(infos, func(a, b fs.FileInfo) int { return strings.Compare(a.Name(), b.Name()) })
	for _, fi := range infos {
		fmt.Printf("readdir mixed/%s: %v size %d\n", fi.Name(), fi.Mode().Type(), sizeIfFile(fi))
	}

	// Empty directory, a file as a directory, a missing directory.
	must(os.Mkdir("empty", 0o755))
	fmt.Printf("empty: %d entries\n", len(check(os.ReadDir("empty"))))
	_, err = os.ReadDir("mixed/file")
	show("ReadDir of a file", err)
	_, err = os.ReadDir("missing")
	show("ReadDir of missing", err)

	// fs.WalkDir over the tree.
	var walked []string
	must(fs.WalkDir(os.DirFS("."), "mixed", func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, fmt.Sprintf("%s(%v)", p, d.Type()))
		return err
	}))
	fmt.Printf("walk: %s\n", strings.Join(walked, " "))
}

func sizeIfFile(fi fs.FileInfo) int64 {
	if fi.Mode().IsRegular() {
		return fi.Size()
	}
	return -1
}

// stat prints what os.Stat, Lstat and Chtimes observe.
func stat() {
	sandbox()
	must(os.WriteFile("f.txt", []byte("twelve bytes"), 0o644))
	must(os.Mkdir("d", 0o755))
	must(os.Symlink("f.txt", "l"))
	for _, p := range []string{"f.txt", "d", "l", "."} {
		st, err := os.Stat(p)
		if err != nil {
			show("stat "+p, err)
			continue
		}
		lst := check(os.Lstat(p))
		fmt.Printf("stat %s: name=%s dir=%v regular=%v size=%d | lstat type=%v\n",
			p, st.Name(), st.IsDir(), st.Mode().IsRegular(), sizeIfFile(st), lst.Mode().Type())
	}
	st := check(os.Stat("f.txt"))
	sys := st.Sys().(*syscall.Stat_t)
	fmt.Printf("nlink=%d filetype=%d\n", sys.Nlink, sys.Filetype)

	// Hard link: same file, two links.
	must(os.Link("f.txt", "hard"))
	a, b := check(os.Stat("f.txt")), check(os.Stat("hard"))
	fmt.Printf("hard link: same file %v, nlink %d\n", os.SameFile(a, b), b.Sys().(*syscall.Stat_t).Nlink)
	fmt.Printf("different files: same %v\n", os.SameFile(a, check(os.Stat("d"))))

	// Chtimes with fixed times; the result is read back exactly.
	atime := time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC)
	mtime := time.Date(2010, 11, 12, 13, 14, 15, 16000, time.UTC)
	must(os.Chtimes("f.txt", atime, mtime))
	st = check(os.Stat("f.txt"))
	sys = st.Sys().(*syscall.Stat_t)
	fmt.Printf("chtimes: mtime %s atime %d\n", st.ModTime().UTC().Format(time.RFC3339Nano), sys.Atime)
	// Zero time leaves that time unchanged.
	must(os.Chtimes("f.txt", time.Time{}, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)))
	st = check(os.Stat("f.txt"))
	fmt.Printf("chtimes mtime only: mtime %s atime %d\n", st.ModTime().UTC().Format(time.RFC3339), st.Sys().(*syscall.Stat_t).Atime)
	// Through a symlink: Chtimes follows it.
	must(os.Chtimes("l", atime, mtime))
	fmt.Printf("chtimes via link: mtime %s\n", check(os.Stat("f.txt")).ModTime().UTC().Format(time.RFC3339Nano))
	must(os.Chtimes("d", atime, mtime))
	fmt.Printf("chtimes dir: mtime %s\n", check(os.Stat("d")).ModTime().UTC().Format(time.RFC3339Nano))
	show("chtimes missing", os.Chtimes("missing", atime, mtime))

	// Fstat through open handles.
	f := check(os.Open("d"))
	fi := check(f.Stat())
	fmt.Printf("fstat dir: dir=%v mtime %s\n", fi.IsDir(), fi.ModTime().UTC().Format(time.RFC3339Nano))
	must(f.Close())
	f = check(os.OpenFile("f.txt", os.O_RDWR, 0))
	check(f.WriteString("TW"))
	fi = check(f.Stat())
	fmt.Printf("fstat file: size %d regular %v\n", fi.Size(), fi.Mode().IsRegular())
	must(f.Close())

	// Chmod is a stat on wasip1; Chown is unsupported.
	show("chmod", os.Chmod("f.txt", 0o600))
	show("chmod missing", os.Chmod("missing", 0o600))
	show("chown", os.Chown("f.txt", 1, 1))
	_, err := os.Stat("missing")
	show("stat missing", err)
	_, err = os.Lstat("d/missing/x")
	show("lstat missing parent", err)
	_, err = os.Stat("f.txt/x")
	show("stat through a file", err)
}

// rename covers rename, remove, MkdirAll and RemoveAll.
func rename() {
	sandbox()
	must(os.WriteFile("a", []byte("A"), 0o644))
	must(os.WriteFile("b", []byte("B"), 0o644))
	show("rename a c", os.Rename("a", "c"))
	show("rename c over b", os.Rename("c", "b"))
	fmt.Printf("b=%q\n", check(os.ReadFile("b")))
	show("rename missing", os.Rename("a", "z"))
	show("rename into missing dir", os.Rename("b", "nodir/b"))
	must(os.Mkdir("d1", 0o755))
	must(os.WriteFile("d1/x", []byte("x"), 0o644))
	show("rename dir", os.Rename("d1", "d2"))
	must(os.Mkdir("d3", 0o755))
	must(os.WriteFile("d3/y", []byte("y"), 0o644))
	show("rename dir over non-empty dir", os.Rename("d2", "d3"))
	must(os.Mkdir("d4", 0o755))
	show("rename dir over empty dir", os.Rename("d2", "d4"))
	show("rename file over dir", os.Rename("b", "d3"))
	show("rename dir over file", os.Rename("d4", "b"))
	show("rename dir into itself", os.Rename("d3", "d3/sub"))
	show("rename to same name", os.Rename("b", "b"))

	show("remove file", os.Remove("b"))
	show("remove missing", os.Remove("b"))
	show("remove non-empty dir", os.Remove("d3"))
	show("remove empty dir", os.Remove(check(os.MkdirTemp(".", "tmp"))))
	show("syscall.Rmdir file", syscall.Rmdir("d3/y"))
	show("syscall.Unlink dir", syscall.Unlink("d3"))

	show("mkdirall", os.MkdirAll("p/q/r/s", 0o755))
	show("mkdirall again", os.MkdirAll("p/q/r/s", 0o755))
	must(os.WriteFile("p/q/file", []byte("f"), 0o644))
	show("mkdirall through a file", os.MkdirAll("p/q/file/t", 0o755))
	show("mkdir existing", os.Mkdir("p", 0o755))
	show("mkdir missing parent", os.Mkdir("m/n", 0o755))
	for i := 0; i < 40; i++ {
		must(os.WriteFile(fmt.Sprintf("p/q/r/f%02d", i), pattern(100+i, uint32(i)), 0o644))
	}
	must(os.Symlink("../..", "p/q/r/up"))
	show("removeall p", os.RemoveAll("p"))
	_, err := os.Lstat("p")
	show("lstat p after removeall", err)
	show("removeall missing", os.RemoveAll("p"))
	show("removeall file", os.RemoveAll("d4/x"))

	// A big tree: RemoveAll lists and deletes in batches.
	for i := 0; i < 3; i++ {
		for j := 0; j < 150; j++ {
			must(os.MkdirAll(fmt.Sprintf("big/%d", i), 0o755))
			must(os.WriteFile(fmt.Sprintf("big/%d/file-with-a-longish-name-%03d", i, j), nil, 0o644))
		}
	}
	show("removeall big", os.RemoveAll("big"))
	entries := check(os.ReadDir("."))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	fmt.Printf("left: %v\n", names)
}

// symlink covers symbolic links: create, read, follow, dangle, loop.
func symlink() {
	sandbox()
	must(os.WriteFile("target.txt", []byte("through the link\n"), 0o644))
	must(os.Mkdir("dir", 0o755))
	must(os.WriteFile("dir/inner", []byte("inner\n"), 0o644))
	show("symlink file", os.Symlink("target.txt", "link"))
	show("symlink dir", os.Symlink("dir", "dirlink"))
	show("symlink dangling", os.Symlink("no/such/file", "dangling"))
	show("symlink nested relative", os.Symlink("../target.txt", "dir/up"))
	show("symlink over existing", os.Symlink("target.txt", "link"))
	show("symlink absolute target", os.Symlink("/sandbox/target.txt", "abs"))
	show("symlink escaping target", os.Symlink("../../etc/passwd", "escape"))
	show("symlink loop a", os.Symlink("loop-b", "loop-a"))
	show("symlink loop b", os.Symlink("loop-a", "loop-b"))
	for _, l := range []string{"link", "dirlink", "dangling", "dir/up", "abs", "escape", "loop-a", "target.txt", "missing"} {
		t, err := os.Readlink(l)
		if err != nil {
			show("readlink "+l, err)
		} else {
			fmt.Printf("readlink %s: %s\n", l, t)
		}
	}
	for _, p := range []string{"link", "dirlink/inner", "dir/up", "dangling", "abs", "escape", "loop-a"} {
		b, err := os.ReadFile(p)
		if err != nil {
			show("read "+p, err)
		} else {
			fmt.Printf("read %s: %q\n", p, b)
		}
	}
	for _, p := range []string{"link", "dirlink", "dangling", "loop-a"} {
		_, err := os.Stat(p)
		show("stat "+p, err)
		st, err := os.Lstat(p)
		if err == nil {
			fmt.Printf("lstat %s: %v\n", p, st.Mode().Type())
		}
	}
	// Writing through a link changes the target; O_NOFOLLOW refuses the link.
	must(os.WriteFile("link", []byte("rewritten\n"), 0o644))
	fmt.Printf("target.txt=%q\n", check(os.ReadFile("target.txt")))
	_, err := os.OpenFile("link", os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	show("open link O_NOFOLLOW", err)
	// Removing a link leaves the target; renaming a link moves the link.
	show("rename link", os.Rename("link", "link2"))
	fmt.Printf("readlink link2: %s\n", check(os.Readlink("link2")))
	show("remove link2", os.Remove("link2"))
	show("remove dirlink", os.Remove("dirlink"))
	_, err = os.Stat("target.txt")
	show("target survives", err)
	_, err = os.Stat("dir/inner")
	show("dir survives", err)
}

// errorCases prints the errors of operations that must fail.
func errorCases() {
	sandbox()
	must(os.WriteFile("file", []byte("content"), 0o644))
	must(os.Mkdir("dir", 0o755))
	must(os.WriteFile("dir/x", nil, 0o644))
	_, err := os.Open("missing")
	show("open missing", err)
	_, err = os.Open("missing/x")
	show("open under missing dir", err)
	_, err = os.Open("file/x")
	show("open under a file", err)
	_, err = os.Create("missing/x")
	show("create under missing dir", err)
	_, err = os.OpenFile("dir", os.O_WRONLY, 0)
	show("open dir for writing", err)
	_, err = os.OpenFile("dir", os.O_RDWR|os.O_CREATE, 0o644)
	show("create over a dir", err)
	_, err = os.ReadFile("dir")
	show("read a dir", err)
	_, err = os.OpenFile("file", os.O_RDONLY|syscall.O_DIRECTORY, 0)
	show("O_DIRECTORY on a file", err)
	f := check(os.Open("dir"))
	_, err = f.Read(make([]byte, 10))
	show("read from dir handle", err)
	_, err = f.Write([]byte("x"))
	show("write to dir handle", err)
	must(f.Close())
	show("close twice", f.Close())
	show("mkdir existing file", os.Mkdir("file", 0o755))
	show("mkdir existing dir", os.Mkdir("dir", 0o755))
	show("remove non-empty dir", os.Remove("dir"))
	show("syscall.Rmdir non-empty", syscall.Rmdir("dir"))
	show("truncate a dir", os.Truncate("dir", 0))
	show("truncate missing", os.Truncate("missing", 0))
	show("truncate negative", os.Truncate("file", -1))
	show("link to existing", os.Link("file", "dir/x"))
	show("link a dir", os.Link("dir", "dir2"))
	show("link missing", os.Link("missing", "x"))
	_, err = os.Readlink("file")
	show("readlink a file", err)
	show("chdir to a file", os.Chdir("file"))
	show("chdir missing", os.Chdir("missing"))

	// Escaping the preopen through raw syscalls on its descriptor.
	_, err = syscall.Openat(3, "../escape", syscall.O_RDONLY, 0)
	show("openat ../escape", err)
	_, err = syscall.Openat(3, "/etc/passwd", syscall.O_RDONLY, 0)
	show("openat absolute", err)
	_, err = syscall.Openat(3, "dir/../../escape", syscall.O_RDONLY, 0)
	show("openat dir/../../escape", err)
	_, err = syscall.Openat(99, "file", syscall.O_RDONLY, 0)
	show("openat bad fd", err)
	// A path outside every preopen.
	_, err = os.Open("/elsewhere/file")
	show("open outside the preopens", err)
	_, err = os.Open("/sandbox/../sandbox/file")
	show("open /sandbox/../sandbox/file", err)
	show("mkdir /sandbox/..", os.Mkdir("/sandbox/..", 0o755))
	// Descriptor-level errors.
	show("close bad fd", syscall.Close(99))
	_, err = syscall.Read(99, make([]byte, 1))
	show("read bad fd", err)
	_, err = syscall.Seek(1, 0, 0)
	show("seek stdout", err)
	_, err = syscall.Write(0, []byte("x"))
	show("write stdin", err)
	_, err = os.OpenFile("file", os.O_RDONLY|os.O_TRUNC, 0)
	show("O_TRUNC read-only", err)
	_, err = os.Open("")
	show("open empty", err)
	fmt.Printf("file=%q\n", check(os.ReadFile("file")))
}

// readOnly runs in a read-only preopen: reads work, changes fail.
func readOnly() {
	sandbox()
	fmt.Printf("file=%q\n", check(os.ReadFile("file")))
	_, err := os.Create("new")
	show("create", err)
	_, err = os.OpenFile("file", os.O_WRONLY, 0)
	show("open for writing", err)
	_, err = os.OpenFile("file", os.O_RDWR|os.O_APPEND, 0)
	show("open for append", err)
	show("writefile", os.WriteFile("file", []byte("x"), 0o644))
	show("mkdir", os.Mkdir("newdir", 0o755))
	show("remove", os.Remove("file"))
	show("rename", os.Rename("file", "other"))
	show("symlink", os.Symlink("file", "link"))
	show("truncate", os.Truncate("file", 0))
	show("chtimes", os.Chtimes("file", time.Unix(1, 0), time.Unix(2, 0)))
	show("removeall", os.RemoveAll("dir"))
	entries := check(os.ReadDir("."))
	for _, e := range entries {
		fmt.Printf("entry %s dir=%v\n", e.Name(), e.IsDir())
	}
	f := check(os.Open("file"))
	_, err = f.Write([]byte("x"))
	show("write read-only handle", err)
	show("sync read-only handle", f.Sync())
	must(f.Close())
	fmt.Printf("file=%q\n", check(os.ReadFile("file")))
}
