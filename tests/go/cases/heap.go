package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// The cases of this file open descriptors and then grow the Go heap, over
// and over: Go's sbrk (runtime/mem_wasm.go) takes the pages right after its
// own break whenever it grows memory, whoever grew them, so any page the
// adapter grew after the program started becomes Go heap at the next
// growth. Each case checks what Go assumes of fresh memory (it reads as
// zeros) and that nothing it filled changed, while it keeps using its
// descriptors.

// growAfterOpen is the smallest Go program that shows whether the
// adapter's pages survive the Go heap growing: it opens a file (the
// adapter may grow pages for its descriptor table), then allocates enough
// that the runtime's sbrk grows linear memory, checks that the fresh
// allocation reads as zeros (the runtime assumes memory it grows is), and
// uses the descriptor again.
func growAfterOpen() {
	sandbox()
	f := check(os.Create("f.txt"))
	check(f.WriteString("before\n"))
	b := make([]byte, 16<<20)
	nonzero := 0
	for _, c := range b {
		if c != 0 {
			nonzero++
		}
	}
	for i := range b {
		b[i] = byte(i)
	}
	fmt.Printf("fresh 16 MB allocation: %d non-zero bytes, crc after fill %08x\n", nonzero, sum(b))
	check(f.WriteString("after\n"))
	must(f.Close())
	fmt.Printf("f.txt=%q\n", check(os.ReadFile("f.txt")))
}

// words views b (8-byte aligned, as every allocation this large is) as
// 64-bit words, so that filling and checking hundreds of MB stays fast.
func words(b []byte) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

// nonZero counts the words of b that are not zero.
func nonZero(b []byte) int {
	n := 0
	for _, w := range words(b) {
		if w != 0 {
			n++
		}
	}
	return n
}

// fill writes every word of b from a seed (xorshift64); intact checks it.
func fill(b []byte, seed int) {
	x := uint64(seed)*0x9e3779b97f4a7c15 | 1
	w := words(b)
	for i := range w {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		w[i] = x
	}
}

func intact(b []byte, seed int) bool {
	x := uint64(seed)*0x9e3779b97f4a7c15 | 1
	for _, v := range words(b) {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		if v != x {
			return false
		}
	}
	return true
}

// openThenAllocate is the plain program the Go limitation broke: read a
// configuration file, create an output file, then build up 300 MiB of live
// data in 1 MiB chunks, writing to the open file every 50 chunks; close it
// and read it back.
func openThenAllocate() {
	sandbox()
	data := check(os.ReadFile("config.txt"))
	fmt.Printf("config.txt: %d bytes, crc %08x, first line %q\n", len(data), sum(data), strings.SplitN(string(data), "\n", 2)[0])
	f := check(os.Create("out.txt"))
	check(fmt.Fprintf(f, "config %08x\n", sum(data)))
	const chunks = 300
	var keep [][]byte
	fresh := 0
	for i := 0; i < chunks; i++ {
		b := make([]byte, 1<<20)
		fresh += nonZero(b)
		fill(b, i)
		keep = append(keep, b)
		if i%50 == 0 {
			check(fmt.Fprintf(f, "step %d\n", i))
			fmt.Printf("step %d: %d MiB live\n", i, len(keep))
		}
	}
	corrupt := 0
	for i, b := range keep {
		if !intact(b, i) {
			corrupt++
		}
	}
	fmt.Printf("kept %d MiB: fresh non-zero words %d, corrupt chunks %d\n", len(keep), fresh, corrupt)
	check(fmt.Fprintf(f, "kept %d\n", len(keep)))
	must(f.Close())
	fmt.Printf("out.txt=%q\n", check(os.ReadFile("out.txt")))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("heap in use >= 300 MiB: %v\n", ms.HeapAlloc >= chunks<<20)
	runtime.KeepAlive(keep)
}

// manyOpenWhileAllocating holds 28 files open (with stdio and the preopen,
// 32 descriptors) while goroutines allocate, collect and use the files.
func manyOpenWhileAllocating() {
	heldWhileAllocating(28)
}

// beyond32OpenWhileAllocating does the same with 40 files open (44
// descriptors). It reports failures instead of stopping at them.
func beyond32OpenWhileAllocating() {
	heldWhileAllocating(40)
}

// heldWhileAllocating creates n files, growing the heap between the
// creations, then runs 4 goroutines that each own every 4th file: each
// allocates 1 MiB chunks (a window of 6 checked when dropped, every 3rd
// kept to the end), calls runtime.GC now and then, appends a line to each
// of its files and reads the whole file back through the open descriptor.
// Each file is written by one goroutine only, so its contents do not
// depend on the scheduling; everything else is printed after the
// goroutines are done. Then all files are closed, read back by name one at
// a time, and a new file is opened to show which number it gets.
func heldWhileAllocating(n int) {
	sandbox()
	var files []*os.File
	var names []string
	var keep [][]byte
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("held-%02d.txt", i)
		f, err := os.Create(name)
		if err != nil {
			show("create "+name, err)
			continue
		}
		fmt.Printf("create %s: fd %d\n", name, f.Fd())
		files = append(files, f)
		names = append(names, name)
		b := make([]byte, 1<<20)
		fill(b, 1000+i)
		keep = append(keep, b)
	}
	fmt.Printf("open at once: %d files\n", len(files))

	const workers, rounds = 4, 24
	var wg sync.WaitGroup
	problems := make([][]string, workers)
	kept := make([][][]byte, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			report := func(format string, args ...any) {
				problems[w] = append(problems[w], fmt.Sprintf(format, args...))
			}
			type chunk struct {
				b    []byte
				seed int
			}
			var window []chunk
			for r := 0; r < rounds; r++ {
				seed := w*1000 + r
				b := make([]byte, 1<<20)
				if z := nonZero(b); z != 0 {
					report("round %d: fresh chunk has %d non-zero words", r, z)
				}
				fill(b, seed)
				window = append(window, chunk{b, seed})
				if len(window) > 6 {
					if !intact(window[0].b, window[0].seed) {
						report("round %d: chunk %d corrupt", r, window[0].seed)
					}
					if window[0].seed%3 == 0 {
						kept[w] = append(kept[w], window[0].b)
					}
					window = window[1:]
				}
				for k := w; k < len(files); k += workers {
					f := files[k]
					line := fmt.Sprintf("w%d r%02d %s\n", w, r, names[k])
					if _, err := f.WriteString(line); err != nil {
						report("round %d: write %s: %v", r, names[k], err)
						continue
					}
					st, err := f.Stat()
					if err != nil {
						report("round %d: stat %s: %v", r, names[k], err)
						continue
					}
					back := make([]byte, st.Size())
					if m, err := f.ReadAt(back, 0); err != nil || m != len(back) {
						report("round %d: readat %s: %d %v", r, names[k], m, err)
					} else if !strings.HasSuffix(string(back), line) {
						report("round %d: %s does not end with its last line", r, names[k])
					}
				}
				if r%8 == 7 {
					runtime.GC()
				}
				runtime.Gosched()
			}
			for _, c := range window {
				if !intact(c.b, c.seed) {
					report("end: chunk %d corrupt", c.seed)
				}
			}
		}(w)
	}
	wg.Wait()
	for w, ps := range problems {
		fmt.Printf("worker %d: %d problems\n", w, len(ps))
		for _, p := range ps {
			fmt.Printf("  %s\n", p)
		}
	}
	corrupt := 0
	for i, b := range keep {
		if !intact(b, 1000+i) {
			corrupt++
		}
	}
	held := 0
	for _, k := range kept {
		held += len(k)
	}
	fmt.Printf("chunks kept by the workers: %d, opening chunks corrupt: %d\n", held, corrupt)
	for i, f := range files {
		show("close "+names[i], f.Close())
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			show("read "+name, err)
			continue
		}
		fmt.Printf("%s: %d bytes, %d lines, crc %08x\n", name, len(data), strings.Count(string(data), "\n"), sum(data))
	}
	f := check(os.Create("after.txt"))
	fmt.Printf("create after.txt: fd %d\n", f.Fd())
	must(f.Close())
	runtime.KeepAlive(keep)
	runtime.KeepAlive(kept)
}

// longName is a name component of n bytes.
func longName(prefix string, n int) string {
	return (prefix + strings.Repeat("-long-name", n/10+1))[:n]
}

// walkdirAllocating builds a tree of about a hundred entries, some with
// names longer than 64 bytes, then walks it with filepath.WalkDir (sorted,
// so the order is fixed) keeping 256 KiB per entry and collecting every
// 16 entries. Each file is read; each directory is also listed 3 entries
// at a time, interleaved with a listing of the tree's root, with a 1 MiB
// allocation between batches: listings stay open while the heap grows.
func walkdirAllocating() {
	sandbox()
	must(os.Mkdir("tree", 0o755))
	for a := 0; a < 4; a++ {
		da := fmt.Sprintf("tree/a%d", a)
		must(os.Mkdir(da, 0o755))
		must(os.WriteFile(fmt.Sprintf("%s/file-a%d.txt", da, a), pattern(100+a, uint32(a)), 0o644))
		for b := 0; b < 3; b++ {
			db := fmt.Sprintf("%s/b%d", da, b)
			must(os.Mkdir(db, 0o755))
			for c := 0; c < 5; c++ {
				must(os.WriteFile(fmt.Sprintf("%s/f%d", db, c), pattern(a*100+b*10+c, uint32(c)), 0o644))
			}
			if b == 1 {
				must(os.WriteFile(db+"/"+longName(fmt.Sprintf("file%d%d", a, b), 70+a*40), []byte(db), 0o644))
			}
		}
		dl := da + "/" + longName(fmt.Sprintf("dir%d", a), 65+a*30)
		must(os.Mkdir(dl, 0o755))
		must(os.WriteFile(dl+"/"+longName("inner", 200+a*10), []byte("inner"), 0o644))
	}
	// One directory whose listing takes Go several fd_readdir calls (its
	// buffer is 8 KiB), so the interleaved listings below interrupt it.
	must(os.Mkdir("tree/many", 0o755))
	for i := 0; i < 120; i++ {
		must(os.WriteFile(fmt.Sprintf("tree/many/%s-%03d", longName("entry", 90), i), nil, 0o644))
	}
	must(os.Mkdir("tree/empty", 0o755))
	must(os.Symlink("a0", "tree/link"))

	var keep [][]byte
	entries, fresh, corrupt := 0, 0, 0
	err := filepath.WalkDir("tree", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Printf("walk error at %s: %v\n", p, err)
			return err
		}
		b := make([]byte, 256<<10)
		fresh += nonZero(b)
		fill(b, entries)
		keep = append(keep, b)
		entries++
		if entries%16 == 0 {
			runtime.GC()
		}
		switch {
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				show("read "+p, err)
				return nil
			}
			fmt.Printf("%s %v %d bytes crc %08x\n", p, d.Type(), len(data), sum(data))
		case d.IsDir():
			fmt.Printf("%s %v %s\n", p, d.Type(), batchedListing(p))
		default:
			fmt.Printf("%s %v\n", p, d.Type())
		}
		return nil
	})
	show("walkdir", err)
	for i, b := range keep {
		if !intact(b, i) {
			corrupt++
		}
	}
	fmt.Printf("walked %d entries: fresh non-zero words %d, corrupt chunks %d\n", entries, fresh, corrupt)
	runtime.KeepAlive(keep)
}

// batchedListing lists dir 3 names at a time, interleaved with batches of
// the tree's root, allocating 1 MiB between batches, and says whether both
// listings match os.ReadDir's.
func batchedListing(dir string) string {
	d := check(os.Open(dir))
	root := check(os.Open("tree"))
	var got, gotRoot []string
	var keep [][]byte
	var errs []string
	batches := 0
	for done, rootDone := false, false; !done || !rootDone; {
		if !done {
			part, err := d.Readdirnames(3)
			got = append(got, part...)
			done = err != nil
			if done && err != io.EOF {
				errs = append(errs, err.Error())
			}
			batches++
		}
		if !rootDone {
			part, err := root.Readdirnames(3)
			gotRoot = append(gotRoot, part...)
			rootDone = err != nil
			if rootDone && err != io.EOF {
				errs = append(errs, err.Error())
			}
		}
		b := make([]byte, 1<<20)
		fill(b, len(keep))
		keep = append(keep, b)
	}
	must(d.Close())
	must(root.Close())
	same := func(listed []string, of string) bool {
		var want []string
		for _, e := range check(os.ReadDir(of)) {
			want = append(want, e.Name())
		}
		slices.Sort(listed)
		return slices.Equal(listed, want)
	}
	ok := 0
	for i, b := range keep {
		if intact(b, i) {
			ok++
		}
	}
	return fmt.Sprintf("(%d names in %d batches, same as ReadDir %v, root same %v, chunks intact %v, errors %q)",
		len(got), batches, same(got, dir), same(gotRoot, "tree"), ok == len(keep), errs)
}
