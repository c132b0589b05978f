//! Cases for tests/tests/zig_programs.rs: `cases NAME`, each printing what
//! it sees, errors by name, so native and adapted runs can be compared.
const std = @import("std");
const Io = std.Io;

var out_io: Io = undefined;

fn say(comptime fmt: []const u8, args: anytype) void {
    var buf: [1024]u8 = undefined;
    const s = std.fmt.bufPrint(&buf, fmt ++ "\n", args) catch return;
    Io.File.stdout().writeStreamingAll(out_io, s) catch {};
}

fn outcome(what: []const u8, result: anytype) void {
    if (result) |_| say("{s}: ok", .{what}) else |e| say("{s}: {s}", .{ what, @errorName(e) });
}

fn lessThan(_: void, a: []const u8, b: []const u8) bool {
    return std.mem.lessThan(u8, a, b);
}

fn list(io: Io, gpa: std.mem.Allocator, dir: Io.Dir, label: []const u8) !void {
    var names: std.ArrayList([]const u8) = .empty;
    var it = dir.iterate();
    while (try it.next(io)) |e| try names.append(gpa, try std.fmt.allocPrint(gpa, "{s}:{s}", .{ e.name, @tagName(e.kind) }));
    std.mem.sort([]const u8, names.items, {}, lessThan);
    say("{s}: {d} entries", .{ label, names.items.len });
    for (names.items) |n| say("  {s}", .{n});
}

pub fn main(init: std.process.Init) !void {
    const io = init.io;
    out_io = io;
    const gpa = init.gpa;
    const args = try init.minimal.args.toSlice(init.arena.allocator());
    const case = if (args.len > 1) args[1] else "none";
    const dir: Io.Dir = if (init.preopens.get("/sandbox")) |r| r.dir else {
        say("no preopen", .{});
        return;
    };

    if (std.mem.eql(u8, case, "files")) {
        {
            const f = try dir.createFile(io, "a.txt", .{});
            defer f.close(io);
            try f.writeStreamingAll(io, "hello zig file\n");
        }
        const data = try dir.readFileAlloc(io, "a.txt", gpa, .limited(1 << 20));
        say("read {d}: {s}", .{ data.len, std.mem.trimEnd(u8, data, "\n") });
        const st = try dir.statFile(io, "a.txt", .{});
        say("size {d} kind {s}", .{ st.size, @tagName(st.kind) });
        outcome("exclusive create", dir.createFile(io, "a.txt", .{ .exclusive = true }));
        outcome("open missing", dir.openFile(io, "missing.txt", .{}));
        outcome("open through missing dir", dir.openFile(io, "nope/x", .{}));
        outcome("open dir as file for write", dir.openFile(io, ".", .{ .mode = .write_only }));
        {
            const f = try dir.openFile(io, "a.txt", .{ .mode = .read_write });
            defer f.close(io);
            try f.writePositionalAll(io, "HELLO", 0);
            var buf: [64]u8 = undefined;
            const n = try f.readPositionalAll(io, &buf, 6);
            say("pread {d}: {s}", .{ n, std.mem.trimEnd(u8, buf[0..n], "\n") });
            try f.setLength(io, 3);
            say("length {d}", .{try f.length(io)});
            try f.setLength(io, 100000);
            say("length {d}", .{try f.length(io)});
            const fst = try f.stat(io);
            say("stat size {d} kind {s} nlink {d}", .{ fst.size, @tagName(fst.kind), fst.nlink });
        }
        {
            const f = try dir.openFile(io, "a.txt", .{});
            defer f.close(io);
            outcome("write to read-only", f.writeStreamingAll(io, "x"));
        }
        outcome("delete file", dir.deleteFile(io, "a.txt"));
        outcome("delete again", dir.deleteFile(io, "a.txt"));
        outcome("delete dir as file", dir.deleteFile(io, "."));
    } else if (std.mem.eql(u8, case, "dirs")) {
        try dir.createDir(io, "sub", .default_dir);
        outcome("create existing dir", dir.createDir(io, "sub", .default_dir));
        try dir.createDirPath(io, "sub/x/y/z");
        try dir.writeFile(io, .{ .sub_path = "sub/x/file", .data = "data" });
        try dir.rename("sub/x/file", dir, "sub/moved", io);
        outcome("rename missing", dir.rename("sub/x/file", dir, "sub/other", io));
        outcome("delete nonempty dir", dir.deleteDir(io, "sub"));
        outcome("delete file as dir", dir.deleteDir(io, "sub/moved"));
        var sub = try dir.openDir(io, "sub", .{ .iterate = true });
        try list(io, gpa, sub, "sub");
        outcome("open file as dir", sub.openDir(io, "moved", .{}));
        sub.close(io);
        try dir.deleteTree(io, "sub");
        outcome("access deleted", dir.access(io, "sub", .{}));
        // (The preopen itself is not listed: jco cannot list a preopen.)
        try dir.createDirPath(io, "empty");
        var empty = try dir.openDir(io, "empty", .{ .iterate = true });
        try list(io, gpa, empty, "empty");
        empty.close(io);
    } else if (std.mem.eql(u8, case, "many")) {
        // In a subdirectory: jco cannot list a preopen.
        try dir.createDir(io, "many", .default_dir);
        const many = try dir.openDir(io, "many", .{ .iterate = true });
        var i: usize = 0;
        while (i < 300) : (i += 1) {
            var nb: [32]u8 = undefined;
            const name = try std.fmt.bufPrint(&nb, "file-with-a-longer-name-{d:0>4}", .{i});
            try many.writeFile(io, .{ .sub_path = name, .data = name });
        }
        var count: usize = 0;
        var total: usize = 0;
        var it = many.iterate();
        while (try it.next(io)) |e| {
            count += 1;
            total += e.name.len;
        }
        say("count {d} name bytes {d}", .{ count, total });
        // Hold many files open at once (past the adapter's 32 held in globals).
        var files: std.ArrayList(Io.File) = .empty;
        i = 0;
        while (i < 100) : (i += 1) {
            var nb: [32]u8 = undefined;
            const name = try std.fmt.bufPrint(&nb, "file-with-a-longer-name-{d:0>4}", .{i});
            try files.append(gpa, try many.openFile(io, name, .{}));
        }
        var sum: usize = 0;
        for (files.items) |f| {
            var buf: [64]u8 = undefined;
            sum += try f.readPositionalAll(io, &buf, 0);
        }
        say("read {d} bytes from {d} open files", .{ sum, files.items.len });
        for (files.items) |f| f.close(io);
        var walker = try many.walk(gpa);
        var walked: usize = 0;
        while (try walker.next(io)) |_| walked += 1;
        say("walked {d}", .{walked});
    } else if (std.mem.eql(u8, case, "links")) {
        try dir.writeFile(io, .{ .sub_path = "target", .data = "linked" });
        outcome("symlink", dir.symLink(io, "target", "link", .{}));
        var buf: [64]u8 = undefined;
        if (dir.readLink(io, "link", &buf)) |n| say("readlink {s}", .{buf[0..n]}) else |e| say("readlink: {s}", .{@errorName(e)});
        outcome("readlink of a file", dir.readLink(io, "target", &buf));
        outcome("hardlink", dir.hardLink("target", dir, "hard", io, .{}));
        const st = try dir.statFile(io, "hard", .{});
        say("hard size {d}", .{st.size});
        outcome("symlink over existing", dir.symLink(io, "target", "hard", .{}));
        outcome("escape", dir.openFile(io, "../etc/passwd", .{}));
        outcome("absolute symlink", dir.symLink(io, "/etc/passwd", "abs", .{}));
    } else if (std.mem.eql(u8, case, "env")) {
        var keys: std.ArrayList([]const u8) = .empty;
        var it = init.environ_map.iterator();
        while (it.next()) |e| try keys.append(gpa, try std.fmt.allocPrint(gpa, "{s}={s}", .{ e.key_ptr.*, e.value_ptr.* }));
        std.mem.sort([]const u8, keys.items, {}, lessThan);
        for (keys.items) |k| say("env {s}", .{k});
        for (args) |a| say("arg {s}", .{a});
        const t = Io.Clock.real.now(io);
        say("realtime after 2020: {}", .{t.nanoseconds > 1_577_836_800 * std.time.ns_per_s});
        var r: [32]u8 = undefined;
        io.random(&r);
        var nonzero: usize = 0;
        for (r) |b| nonzero += @intFromBool(b != 0);
        say("random nonzero bytes > 16: {}", .{nonzero > 16});
    } else if (std.mem.eql(u8, case, "stdio")) {
        // stdin whole, a sleep (a clock subscription), stdout in large writes.
        var in_buf: [4096]u8 = undefined;
        var reader = Io.File.stdin().readerStreaming(io, &in_buf);
        const input = try reader.interface.allocRemaining(gpa, .unlimited);
        var sum: u32 = 0;
        for (input) |b| sum = sum *% 31 +% b;
        say("stdin {d} bytes, hash {d}", .{ input.len, sum });
        const start = Io.Timestamp.now(io, .awake);
        try io.sleep(.fromMilliseconds(20), .awake);
        const slept = start.untilNow(io, .awake);
        say("slept at least 20 ms: {}", .{slept.nanoseconds >= 20 * std.time.ns_per_ms});
        const big = try gpa.alloc(u8, 300_000);
        for (big, 0..) |*b, k| b.* = @intCast('a' + k % 26);
        try Io.File.stdout().writeStreamingAll(io, big);
        say("", .{});
        say("wrote {d}", .{big.len});
    } else {
        say("unknown case {s}", .{case});
        std.process.exit(2);
    }
}
