package main

import (
	"fmt"
	"os"
	"runtime"
)

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

// reserveHeap grows the Go heap by about mb MB and frees it again, before
// the case opens any file: the runtime reuses those pages afterwards
// instead of growing linear memory (GO_HEAP_RESERVE_MB, see main).
func reserveHeap(mb int) {
	chunks := make([][]byte, mb)
	for i := range chunks {
		chunks[i] = make([]byte, 1<<20)
		chunks[i][i] = 1
	}
	chunks = nil
	runtime.GC()
}
