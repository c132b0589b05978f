package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// files exercises os.File: create, write, read, append, truncate, seek,
// positional reads and writes, copies.
func files() {
	sandbox()
	must(os.WriteFile("a.txt", []byte("hello\n"), 0o644))
	f := check(os.OpenFile("a.txt", os.O_WRONLY|os.O_APPEND, 0))
	check(f.Write([]byte("world\n")))
	check(f.WriteString("again\n"))
	must(f.Close())
	fmt.Printf("a.txt=%q\n", check(os.ReadFile("a.txt")))

	// O_APPEND writes at the end even after a seek.
	f = check(os.OpenFile("a.txt", os.O_RDWR|os.O_APPEND, 0))
	fmt.Printf("seek 0: %d\n", check(f.Seek(0, io.SeekStart)))
	check(f.WriteString("tail\n"))
	pos, err := f.Seek(0, io.SeekCurrent)
	fmt.Printf("pos after append: %d %v\n", pos, err)
	must(f.Close())
	fmt.Printf("a.txt=%q\n", check(os.ReadFile("a.txt")))

	// A 100 000-byte file; seeks and positional I/O.
	data := pattern(100000, 7)
	f = check(os.Create("b.bin"))
	n := check(f.Write(data))
	fmt.Printf("wrote %d, crc %08x\n", n, sum(data))
	fmt.Printf("tell: %d\n", check(f.Seek(0, io.SeekCurrent)))
	fmt.Printf("seek end-10: %d\n", check(f.Seek(-10, io.SeekEnd)))
	buf := make([]byte, 16)
	n, err = f.Read(buf)
	fmt.Printf("read at end-10: %d %v %x\n", n, err, buf[:n])
	n, err = f.Read(buf)
	fmt.Printf("read at eof: %d %v\n", n, err)
	fmt.Printf("seek 5000: %d\n", check(f.Seek(5000, io.SeekStart)))
	n, err = io.ReadFull(f, buf)
	fmt.Printf("read 16 at 5000: %d %v %v\n", n, err, bytes.Equal(buf, data[5000:5016]))
	n, err = f.ReadAt(buf, 99990)
	fmt.Printf("readat 99990: %d %v %v\n", n, err, bytes.Equal(buf[:n], data[99990:]))
	fmt.Printf("pos unchanged by readat: %d\n", check(f.Seek(0, io.SeekCurrent)))
	_, err = f.Seek(-1, io.SeekStart)
	show("seek -1", err)
	n, err = f.WriteAt([]byte("XYZ"), 200000)
	fmt.Printf("writeat 200000: %d %v\n", n, err)
	fmt.Printf("size after writeat: %d\n", check(f.Stat()).Size())
	n, err = f.ReadAt(buf[:8], 150000)
	fmt.Printf("hole reads zeros: %d %v %x\n", n, err, buf[:n])
	must(f.Truncate(50000))
	fmt.Printf("size after truncate: %d\n", check(f.Stat()).Size())
	must(f.Sync())
	fmt.Printf("name: %s\n", f.Name())
	must(f.Close())
	back := check(os.ReadFile("b.bin"))
	fmt.Printf("b.bin: %d bytes, prefix intact %v\n", len(back), bytes.Equal(back, data[:50000]))
	_, err = f.Write([]byte("x"))
	show("write after close", err)

	// Truncate by name, extend by name.
	must(os.Truncate("a.txt", 3))
	fmt.Printf("a.txt=%q\n", check(os.ReadFile("a.txt")))
	must(os.Truncate("a.txt", 6))
	fmt.Printf("a.txt=%q\n", check(os.ReadFile("a.txt")))

	// Read-write without truncation: overwrite the middle.
	f = check(os.OpenFile("c.txt", os.O_RDWR|os.O_CREATE, 0o644))
	check(f.WriteString("0123456789"))
	check(f.Seek(3, io.SeekStart))
	check(f.WriteString("abc"))
	check(f.Seek(0, io.SeekStart))
	all := check(io.ReadAll(f))
	fmt.Printf("c.txt=%q\n", all)
	must(f.Close())
	f = check(os.OpenFile("c.txt", os.O_RDWR|os.O_TRUNC, 0))
	fmt.Printf("after O_TRUNC: %d\n", check(f.Stat()).Size())
	must(f.Close())

	// Exclusive create.
	_, err = os.OpenFile("c.txt", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	show("O_EXCL on existing", err)
	f, err = os.OpenFile("d.txt", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	show("O_EXCL on new", err)
	must(f.Close())

	// Writing a read-only handle, reading a write-only one.
	f = check(os.Open("c.txt"))
	_, err = f.Write([]byte("x"))
	show("write to O_RDONLY", err)
	must(f.Close())
	f = check(os.OpenFile("c.txt", os.O_WRONLY, 0))
	_, err = f.Read(buf)
	show("read from O_WRONLY", err)
	must(f.Close())

	// A 3 MB copy between files through io.Copy (os.File's ReadFrom).
	big := pattern(3<<20+123, 11)
	must(os.WriteFile("big.src", big, 0o644))
	src := check(os.Open("big.src"))
	dst := check(os.Create("big.dst"))
	copied := check(io.Copy(dst, src))
	must(src.Close())
	must(dst.Close())
	got := check(os.ReadFile("big.dst"))
	fmt.Printf("copied %d, crc %08x, equal %v\n", copied, sum(got), bytes.Equal(got, big))
	must(os.Remove("big.src"))

	// Many small writes through one handle.
	f = check(os.Create("lines.txt"))
	for i := 0; i < 500; i++ {
		fmt.Fprintf(f, "line %d\n", i)
	}
	must(f.Close())
	lines := check(os.ReadFile("lines.txt"))
	fmt.Printf("lines.txt: %d bytes, crc %08x\n", len(lines), sum(lines))
}
