package main

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// Raw preview1 calls, so the case sees every descriptor number and errno
// exactly as the program's imports return them (Go's os package has no
// renumber, and would retry or wrap the others).

//go:wasmimport wasi_snapshot_preview1 fd_renumber
func rawRenumber(from, to int32) int32

//go:wasmimport wasi_snapshot_preview1 fd_close
func rawClose(fd int32) int32

//go:wasmimport wasi_snapshot_preview1 fd_write
func rawWrite(fd int32, iovs unsafe.Pointer, iovsLen uint32, nwritten unsafe.Pointer) int32

//go:wasmimport wasi_snapshot_preview1 fd_read
func rawRead(fd int32, iovs unsafe.Pointer, iovsLen uint32, nread unsafe.Pointer) int32

//go:wasmimport wasi_snapshot_preview1 fd_seek
func rawSeek(fd int32, offset int64, whence uint32, newOffset unsafe.Pointer) int32

// errno names a raw result: "ok" or Go's text for the errno, with its number.
func errno(e int32) string {
	if e == 0 {
		return "ok"
	}
	return fmt.Sprintf("errno %d (%v)", e, syscall.Errno(e))
}

func writeFd(fd int32, s string) string {
	b := []byte(s)
	iov := [2]uint32{uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))), uint32(len(b))}
	var n uint32
	e := rawWrite(fd, unsafe.Pointer(&iov), 1, unsafe.Pointer(&n))
	runtime.KeepAlive(b)
	if e != 0 {
		return errno(e)
	}
	return fmt.Sprintf("wrote %d", n)
}

// readFdFromStart seeks fd to 0 and reads up to 256 bytes.
func readFdFromStart(fd int32) string {
	var pos uint64
	if e := rawSeek(fd, 0, 0, unsafe.Pointer(&pos)); e != 0 {
		return "seek: " + errno(e)
	}
	b := make([]byte, 256)
	iov := [2]uint32{uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))), uint32(len(b))}
	var n uint32
	e := rawRead(fd, unsafe.Pointer(&iov), 1, unsafe.Pointer(&n))
	runtime.KeepAlive(b)
	if e != 0 {
		return "read: " + errno(e)
	}
	return fmt.Sprintf("%q", b[:n])
}

// openFd opens (creating) a file with syscall.Open: a bare descriptor,
// which no os.File will close behind the case's back.
func openFd(name string) int32 {
	fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT, 0o644)
	if err != nil {
		fmt.Printf("open %s: %v\n", name, err)
		return -1
	}
	fmt.Printf("open %s: fd %d\n", name, fd)
	return int32(fd)
}

// renumberDupCloseWhileAllocating renumbers descriptors onto each other,
// closes them and opens new ones, printing every number and errno, and
// grows the Go heap between the steps.
func renumberDupCloseWhileAllocating() {
	sandbox()
	var keep [][]byte
	grow := func(mb int) {
		for i := 0; i < mb; i++ {
			b := make([]byte, 1<<20)
			if z := nonZero(b); z != 0 {
				fmt.Printf("fresh chunk %d: %d non-zero words\n", len(keep), z)
			}
			fill(b, len(keep))
			keep = append(keep, b)
		}
		runtime.GC()
	}
	step := func(what string, result string) {
		fmt.Printf("%s: %s\n", what, result)
	}

	a, b, c := openFd("a.txt"), openFd("b.txt"), openFd("c.txt")
	step("write a", writeFd(a, "A1\n"))
	step("write b", writeFd(b, "B1\n"))
	step("write c", writeFd(c, "C1\n"))
	grow(8)

	// a onto b: b.txt's descriptor is closed, b now means a.txt, a is free.
	step("renumber a->b", errno(rawRenumber(a, b)))
	step("write a", writeFd(a, "lost\n"))
	step("write b", writeFd(b, "A2 via b\n"))
	grow(8)
	d := openFd("d.txt")
	step("renumber c->c", errno(rawRenumber(c, c)))
	step("write c", writeFd(c, "C2\n"))
	step("renumber b->99", errno(rawRenumber(b, 99)))
	step("renumber 99->b", errno(rawRenumber(99, b)))
	step("renumber d->d", errno(rawRenumber(d, d)))
	grow(8)

	step("close c", errno(rawClose(c)))
	step("close c again", errno(rawClose(c)))
	step("renumber c->c (closed)", errno(rawRenumber(c, c)))
	step("write c", writeFd(c, "closed\n"))
	step("renumber c->d (closed from)", errno(rawRenumber(c, d)))
	step("renumber d->c (closed to)", errno(rawRenumber(d, c)))
	e := openFd("e.txt")
	step("renumber e->d", errno(rawRenumber(e, d)))
	step("write d", writeFd(d, "E1 via d\n"))
	grow(8)

	// An os.File whose descriptor another one is renumbered onto: the
	// os.File now writes to, stats and finally closes (once) a.txt.
	f := check(os.OpenFile("f.txt", os.O_RDWR|os.O_CREATE, 0o644))
	ffd := int32(f.Fd())
	fmt.Printf("os.OpenFile f.txt: fd %d\n", ffd)
	check(f.WriteString("F1\n"))
	step("renumber b->f", errno(rawRenumber(b, ffd)))
	grow(8)
	_, err := f.WriteString("A3 via os.File\n")
	show("os.File write after renumber", err)
	st, err := f.Stat()
	if err == nil {
		fmt.Printf("os.File stat after renumber: size %d\n", st.Size())
	} else {
		show("os.File stat after renumber", err)
	}
	show("os.File close", f.Close())
	step("close b (renumbered away)", errno(rawClose(b)))
	step("close f's number again", errno(rawClose(ffd)))
	grow(8)

	// A file onto stderr: Go's os.Stderr now writes into g.txt.
	fmt.Fprintln(os.Stderr, "stderr before renumber")
	g := openFd("g.txt")
	step("renumber g->2", errno(rawRenumber(g, 2)))
	fmt.Fprintln(os.Stderr, "os.Stderr after renumber")
	step("write 2", writeFd(2, "raw to 2\n"))
	step("write g", writeFd(g, "lost\n"))
	grow(8)
	step("read 2 from start", readFdFromStart(2))
	h := openFd("h.txt")
	step("write h", writeFd(h, "H1\n"))
	step("read d from start", readFdFromStart(d))

	// Numbering: five new descriptors, two closed, two more opened.
	var fds []int32
	for i := 0; i < 5; i++ {
		fds = append(fds, openFd(fmt.Sprintf("n%d.txt", i)))
		grow(2)
	}
	step("close n1", errno(rawClose(fds[1])))
	step("close n3", errno(rawClose(fds[3])))
	grow(4)
	fds = append(fds, openFd("n5.txt"), openFd("n6.txt"))
	step("renumber n6->n0", errno(rawRenumber(fds[6], fds[0])))
	grow(4)
	for _, fd := range []int32{d, h, fds[0], fds[2], fds[4], fds[5]} {
		step(fmt.Sprintf("close %d", fd), errno(rawClose(fd)))
	}
	step("close 2", errno(rawClose(2)))
	step("close 2 again", errno(rawClose(2)))
	show("os.Stderr write after close", func() error { _, err := fmt.Fprintln(os.Stderr, "nowhere"); return err }())
	step("next number", fmt.Sprint(openFd("next.txt")))
	grow(8)

	for _, name := range []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt", "h.txt", "n0.txt", "n5.txt", "n6.txt"} {
		data, err := os.ReadFile(name)
		if err != nil {
			show("read "+name, err)
			continue
		}
		fmt.Printf("%s=%q\n", name, data)
	}

	// Last, a file onto the preopen: paths no longer resolve in it.
	x := openFd("x.txt")
	step("renumber x->3", errno(rawRenumber(x, 3)))
	grow(8)
	_, err = syscall.Open("y.txt", syscall.O_RDWR|syscall.O_CREAT, 0o644)
	show("open y.txt after the preopen is gone", err)
	step("write 3", writeFd(3, "X via 3\n"))
	step("read 3 from start", readFdFromStart(3))
	corrupt := 0
	for i, b := range keep {
		if !intact(b, i) {
			corrupt++
		}
	}
	fmt.Printf("allocated %d MiB, corrupt chunks %d\n", len(keep), corrupt)
}
