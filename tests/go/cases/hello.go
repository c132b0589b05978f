package main

import (
	"fmt"
	"os"
	"strings"
)

// hello prints the arguments and the environment as the program sees them.
func hello() {
	fmt.Printf("argc=%d\n", len(os.Args))
	for i, a := range os.Args {
		fmt.Printf("arg[%d] len=%d <%s>\n", i, len(a), a)
	}
	env := os.Environ()
	fmt.Printf("envc=%d\n", len(env))
	for i, kv := range env {
		fmt.Printf("env[%d] <%s>\n", i, kv)
	}
	for _, k := range []string{"HOME", "EMPTY", "MISSING"} {
		v, ok := os.LookupEnv(k)
		fmt.Printf("lookup %s: %v <%s>\n", k, ok, v)
	}
	fmt.Printf("getenv HOME=<%s>\n", os.Getenv("HOME"))
	fmt.Printf("expand=<%s>\n", os.ExpandEnv("${HOME}/x:$MISSING"))
	wd, err := os.Getwd()
	fmt.Printf("getwd: %s %v\n", wd, err)
	host, err := os.Hostname()
	fmt.Printf("hostname: %q %v\n", host, err)
	fmt.Printf("pid>0: %v\n", os.Getpid() > 0)
	// Strings built after the environment was read stay intact.
	fmt.Printf("joined=<%s>\n", strings.Join(os.Args[1:], "|"))
	fmt.Fprintln(os.Stderr, "hello on stderr")
}
