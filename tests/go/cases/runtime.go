package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// timeCases sleeps, runs timers and tickers; prints only booleans.
func timeCases() {
	t0 := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Printf("slept >= 20ms: %v\n", time.Since(t0) >= 20*time.Millisecond)
	time.Sleep(0)
	time.Sleep(-time.Second)
	fmt.Println("zero and negative sleeps return")

	t1 := time.Now()
	t2 := time.Now()
	fmt.Printf("monotonic: %v\n", !t2.Before(t1) && t2.Sub(t1) >= 0)
	fmt.Printf("wall clock after 2020: %v\n", time.Now().Year() >= 2020)
	fmt.Printf("unix nanos positive: %v\n", time.Now().UnixNano() > 0)

	start := time.Now()
	timer := time.NewTimer(15 * time.Millisecond)
	<-timer.C
	fmt.Printf("timer fired after >= 15ms: %v\n", time.Since(start) >= 15*time.Millisecond)

	stopped := time.NewTimer(time.Hour)
	fmt.Printf("stop pending timer: %v\n", stopped.Stop())
	fmt.Printf("stop stopped timer: %v\n", stopped.Stop())

	reset := time.NewTimer(time.Hour)
	reset.Reset(5 * time.Millisecond)
	<-reset.C
	fmt.Println("reset timer fired")

	done := make(chan bool)
	time.AfterFunc(5*time.Millisecond, func() { done <- true })
	fmt.Printf("afterfunc: %v\n", <-done)

	start = time.Now()
	ticker := time.NewTicker(3 * time.Millisecond)
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 5 {
			break
		}
	}
	ticker.Stop()
	fmt.Printf("ticker: %d ticks, >= 15ms: %v\n", ticks, time.Since(start) >= 15*time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	fmt.Printf("context: %v\n", ctx.Err())

	// Sleepers with different deadlines all wake, none early.
	var wg sync.WaitGroup
	var early atomic.Int32
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := time.Duration(i%5) * 4 * time.Millisecond
			s := time.Now()
			time.Sleep(d)
			if time.Since(s) < d {
				early.Add(1)
			}
		}(i)
	}
	wg.Wait()
	fmt.Printf("20 sleepers woke, early: %d\n", early.Load())
}

// goroutines runs many goroutines talking over channels, and selects.
func goroutines() {
	results := make(chan int)
	for i := 0; i < 200; i++ {
		go func(i int) {
			s := 0
			for j := 0; j <= i; j++ {
				s += j
			}
			if i%10 == 0 {
				runtime.Gosched()
			}
			results <- s
		}(i)
	}
	total := 0
	for i := 0; i < 200; i++ {
		total += <-results
	}
	fmt.Printf("200 goroutines: total %d\n", total)

	// A three-stage pipeline over 10 000 items.
	src := make(chan int)
	sq := make(chan int, 16)
	out := make(chan int)
	go func() {
		for i := 1; i <= 10000; i++ {
			src <- i
		}
		close(src)
	}()
	go func() {
		for v := range src {
			sq <- v * v % 1000003
		}
		close(sq)
	}()
	go func() {
		s := 0
		for v := range sq {
			s += v
		}
		out <- s
	}()
	fmt.Printf("pipeline: %d\n", <-out)

	// Mutex and WaitGroup.
	var mu sync.Mutex
	var wg sync.WaitGroup
	counter := 0
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				mu.Lock()
				counter++
				mu.Unlock()
				if j%25 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("mutex counter: %d\n", counter)

	// select: a channel that never sends loses to time.After.
	never := make(chan int)
	select {
	case <-never:
		fmt.Println("select: impossible")
	case <-time.After(10 * time.Millisecond):
		fmt.Println("select: timeout")
	}
	// A sender that sleeps a little wins over a long time.After.
	soon := make(chan string)
	go func() {
		time.Sleep(2 * time.Millisecond)
		soon <- "value"
	}()
	select {
	case v := <-soon:
		fmt.Printf("select: received %s\n", v)
	case <-time.After(10 * time.Second):
		fmt.Println("select: timeout (wrong)")
	}
	// Default case when nothing is ready.
	select {
	case <-never:
	default:
		fmt.Println("select: default")
	}
	// Ping-pong between two goroutines, many rounds with sleeps mixed in.
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			if v%100 == 0 {
				time.Sleep(time.Millisecond)
			}
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < 1000; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	fmt.Printf("ping-pong: %d\n", v)

	// Goroutines doing file I/O concurrently, each on its own file.
	sandbox()
	var fwg sync.WaitGroup
	sums := make([]uint32, 16)
	for i := range sums {
		fwg.Add(1)
		go func(i int) {
			defer fwg.Done()
			name := fmt.Sprintf("g%02d", i)
			data := pattern(20000+i, uint32(i))
			must(os.WriteFile(name, data, 0o644))
			runtime.Gosched()
			back := check(os.ReadFile(name))
			if !bytes.Equal(back, data) {
				fmt.Printf("%s: read back differs\n", name)
			}
			sums[i] = sum(back)
		}(i)
	}
	fwg.Wait()
	fmt.Printf("concurrent files: %08x\n", sums)
}

// stdin reads all of stdin and summarises it.
func stdin() {
	r := bufio.NewReaderSize(os.Stdin, 4096)
	line, err := r.ReadString('\n')
	fmt.Printf("first line: %q %v\n", line, err)
	rest, err := io.ReadAll(r)
	fmt.Printf("rest: %d bytes, crc %08x, err %v\n", len(rest), sum(rest), err)
	n := bytes.Count(rest, []byte("\n"))
	fmt.Printf("lines in rest: %d\n", n)
	m, err := os.Stdin.Read(make([]byte, 10))
	fmt.Printf("read after eof: %d %v\n", m, err)
	words := map[string]int{}
	for _, w := range bytes.Fields(append([]byte(line), rest...)) {
		words[string(w)]++
	}
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 5 {
		keys = keys[:5]
	}
	for _, k := range keys {
		fmt.Printf("word %q: %d\n", k, words[k])
	}
}

// gcChurn allocates and drops ~200 MB in 1 MB slices while doing file
// I/O (up to 12 files kept open, and bursts of 14 more opened at once: 30
// descriptors with stdio and the preopen), then checks that neither the
// adapter nor the Go heap corrupted the other.
func gcChurn() {
	sandbox()
	const rounds = 200
	var live [][]byte
	var liveSums []uint32
	var all uint32
	var open []*os.File
	corrupt := 0
	for i := 0; i < rounds; i++ {
		b := make([]byte, 1<<20)
		seed := uint32(i)*2654435761 + 12345
		for j := 0; j < len(b); j += 64 {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			b[j] = byte(seed)
			b[j+63] = byte(seed >> 8)
		}
		s := sum(b)
		all ^= s
		// Keep a window of 8 live slices; check each when it is dropped.
		live = append(live, b)
		liveSums = append(liveSums, s)
		if len(live) > 8 {
			if sum(live[0]) != liveSums[0] {
				corrupt++
			}
			live, liveSums = live[1:], liveSums[1:]
		}
		if i%10 == 0 {
			// Write the slice, keep the file open, read it back.
			name := fmt.Sprintf("chunk%03d", i)
			f := check(os.Create(name))
			check(f.Write(b[:65536+i]))
			open = append(open, f)
			if len(open) > 12 {
				must(open[0].Close())
				open = open[1:]
			}
			back := check(os.ReadFile(name))
			if sum(back) != sum(b[:65536+i]) {
				fmt.Printf("%s: read back differs\n", name)
			}
		}
		if i%50 == 49 {
			runtime.GC()
			// Many descriptors at once.
			var many []*os.File
			for k := 0; k < 14; k++ {
				many = append(many, check(os.Open(fmt.Sprintf("chunk%03d", (k%(i/10+1))*10))))
			}
			for _, f := range many {
				must(f.Close())
			}
		}
	}
	for k, b := range live {
		if sum(b) != liveSums[k] {
			corrupt++
		}
	}
	for _, f := range open {
		must(f.Close())
	}
	runtime.GC()
	// Every chunk file still holds what was written.
	var fileSums uint32
	entries := check(os.ReadDir("."))
	for _, e := range entries {
		fileSums ^= sum(check(os.ReadFile(e.Name())))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("allocated >= 200 MB: %v\n", ms.TotalAlloc >= rounds<<20)
	fmt.Printf("slices crc xor %08x, corrupt %d\n", all, corrupt)
	fmt.Printf("files %d, crc xor %08x\n", len(entries), fileSums)
}

// exit leaves with status 3 from a goroutine, skipping deferred calls.
func exit() {
	defer fmt.Println("deferred (must not print)")
	fmt.Println("exiting with 3")
	fmt.Fprintln(os.Stderr, "to stderr before exit")
	go func() { os.Exit(3) }()
	select {}
}

// panicCase panics: the runtime prints the panic and a traceback to
// stderr and exits with status 2.
func panicCase() {
	fmt.Println("about to panic")
	var m map[string]int
	m["x"] = 1
}
