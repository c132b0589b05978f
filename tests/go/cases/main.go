// Test cases for the adapter's differential suite (tests/tests/go_programs.rs),
// built with GOOS=wasip1 GOARCH=wasm. argv[1] names the case; every case
// prints only what is deterministic (no times, no inode numbers, no map
// order) and ends with "done" unless it exits on purpose.
package main

import (
	"fmt"
	"hash/crc32"
	"os"
	"sort"
)

var cases = map[string]func(){
	"hello":                               hello,
	"files":                               files,
	"readdir":                             readdir,
	"stat":                                stat,
	"rename":                              rename,
	"symlink":                             symlink,
	"errors":                              errorCases,
	"read_only":                           readOnly,
	"time":                                timeCases,
	"goroutines":                          goroutines,
	"stdin":                               stdin,
	"gc":                                  gcChurn,
	"exit":                                exit,
	"panic":                               panicCase,
	"grow_after_open":                     growAfterOpen,
	"open_then_allocate":                  openThenAllocate,
	"many_open_while_allocating":          manyOpenWhileAllocating,
	"beyond_32_open_while_allocating":     beyond32OpenWhileAllocating,
	"walkdir_allocating":                  walkdirAllocating,
	"renumber_dup_close_while_allocating": renumberDupCloseWhileAllocating,
}

func main() {
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		names := make([]string, 0, len(cases))
		for n := range cases {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: %s CASE (one of %v)\n", os.Args[0], names)
		os.Exit(2)
	}
	cases[os.Args[1]]()
	fmt.Println("done")
}

// sandbox makes the preopened directory the working directory.
func sandbox() {
	must(os.Chdir("/sandbox"))
}

func must(err error) {
	if err != nil {
		fmt.Printf("unexpected error: %v\n", err)
		os.Exit(1)
	}
}

func check[T any](v T, err error) T {
	must(err)
	return v
}

// show prints what an operation returned: "ok" or its error (Go's text for
// the errno, so equal lines mean equal errnos).
func show(what string, err error) {
	if err == nil {
		fmt.Printf("%s: ok\n", what)
		return
	}
	fmt.Printf("%s: %v\n", what, err)
}

func sum(b []byte) uint32 {
	return crc32.ChecksumIEEE(b)
}

// pattern fills n bytes from a seed, deterministically.
func pattern(n int, seed uint32) []byte {
	b := make([]byte, n)
	x := seed*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
