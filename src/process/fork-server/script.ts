// The fork server's program, in Perl (part of every Debian and most Linux systems): a process of
// a few MB that forks and execs jobs for parex, so that the fork happens in a small process and
// parex never waits for an exec. Protocol (see protocol.ts): requests on stdin, one reply line
// per event on stdout. It loads no module (POSIX alone would triple its start-up): WNOHANG is 1
// and EINTR is 4 on Linux, and each job leads a process group of its own (setpgrp) inside the
// server's session, which has no terminal.
// It is also the run's watchdog (argv: -- parex-watchdog RUN_ID MARKER_NAME OPEN_FLAGS
// CLOCK_SYSCALL; the last two are the numbers of this platform, which Node knows): when its input ends
// without the empty request that says the run is over, parex died, and it stops the run's
// processes (every group it watches: those of the jobs it started and those parex hands it,
// until parex is done with them; and every other process whose environment has
// MARKER_NAME=RUN_ID): SIGTERM, then SIGKILL a second later.

/** The Perl source run with `perl -e`. */
export const FORK_SERVER_SCRIPT = String.raw`
use strict;
$| = 1;
my (%job_of, %status_of, %watched);
my $buffer = '';
my $finished = 0;
my $run_marker = "$ARGV[2]=$ARGV[1]";
# The log is opened as parex opens it (O_NOFOLLOW, O_NONBLOCK: never through a link, never a
# FIFO), then checked to be a regular file of one link before it is emptied.
my $open_flags = $ARGV[3] + 0;
# clock_gettime(CLOCK_MONOTONIC), the clock of Node's process.hrtime: each end is told with the
# time the server reaped it, which a busy parex could only learn later. 0: no such call here.
my $clock_call = $ARGV[4] + 0;
sub now_us {
  return '' unless $clock_call;
  my $timespec = "\0" x 16;
  return '' unless syscall($clock_call, 1, $timespec) == 0;
  my ($seconds, $nanoseconds) = unpack('q q', $timespec);
  return int($seconds * 1000000 + $nanoseconds / 1000);
}
$SIG{CHLD} = sub {};
$SIG{PIPE} = 'IGNORE'; # replies to a parex that died must not end the watchdog
sub reply { print join(' ', @_), "\n" }
sub launch {
  my ($id, $cwd, $log, $argc, @rest) = split /\0/, $_[0], -1;
  my @argv = splice @rest, 0, $argc;
  pipe(my $status_r, my $status_w) or return reply('E', $id, 'pipe', $! + 0);
  my $pid = fork;
  return reply('E', $id, 'fork', $! + 0) unless defined $pid;
  if ($pid == 0) {
    close $status_r;
    $SIG{CHLD} = 'DEFAULT';
    $SIG{PIPE} = 'DEFAULT'; # an ignored signal would stay ignored in the job
    setpgrp(0, 0);
    my $stage = 'chdir';
    if (chdir $cwd) {
      $stage = 'open';
      if (open(STDIN, '<', '/dev/null') && sysopen(my $out, $log, $open_flags, 0666)) {
        my @stat = stat $out;
        $stage = 'regular';
        $! = 0; # errno 0 with this stage: not a regular file of one link
        if (-f _ && $stat[3] == 1 && ($stat[7] == 0 || truncate($out, 0))
            && open(STDOUT, '>&', $out) && open(STDERR, '>&', $out)) {
          close $out;
          $stage = 'exec';
          %ENV = map { split /=/, $_, 2 } @rest;
          exec { $argv[0] } @argv;
        }
      }
    }
    syswrite $status_w, "$stage " . ($! + 0);
    exit 127;
  }
  close $status_w;
  $job_of{$pid} = $id;
  $status_of{$pid} = $status_r;
}
sub confirm {
  my ($pid) = @_;
  my $status_r = delete $status_of{$pid};
  my $failure = '';
  sysread $status_r, $failure, 64;
  close $status_r;
  # Watched until parex is done with the group (it may still be stopping what the job left).
  if ($failure eq '') { $watched{$pid} = 1; reply('S', $job_of{$pid}, $pid) }
  else { reply('E', $job_of{$pid}, split(/ /, $failure)) }
}
sub reap {
  while ((my $pid = waitpid(-1, 1)) > 0) {
    my $status = $?;
    confirm($pid) if exists $status_of{$pid};
    my $id = delete $job_of{$pid};
    reply('X', $id, $pid, $status, now_us()) if defined $id;
  }
}
# The run's marked processes outside the jobs' groups (those get their signal as a group, and a
# second SIGTERM could run a job's trap twice).
sub marked_outside_groups {
  my @found;
  opendir(my $proc, '/proc') or return;
  for my $pid (grep { /^\d+$/ && $_ != $$ } readdir $proc) {
    open(my $environ, '<', "/proc/$pid/environ") or next;
    local $/;
    my $text = <$environ>;
    next unless defined $text && index("\0$text", "\0$run_marker\0") >= 0;
    open(my $stat, '<', "/proc/$pid/stat") or next;
    my ($group) = <$stat> =~ /^.*\)\s+\S+\s+\d+\s+(\d+)/s;
    push @found, $pid unless defined $group && (exists $job_of{$group} || $watched{$group});
  }
  return @found;
}
sub stop_run {
  # Without a handler, the jobs' deaths cannot cut the grace short by interrupting select; and
  # unlike 'IGNORE', the default leaves them unreaped, so that their group ids stay taken.
  $SIG{CHLD} = 'DEFAULT';
  my %groups = map { $_ => 1 } keys %job_of, keys %watched;
  for my $signal ('TERM', 'KILL') {
    kill $signal, map { -$_ } keys %groups;
    kill $signal, marked_outside_groups();
    select(undef, undef, undef, 1) if $signal eq 'TERM';
  }
}
while (1) {
  reap();
  my $rin = '';
  vec($rin, 0, 1) = 1;
  vec($rin, fileno $status_of{$_}, 1) = 1 for keys %status_of;
  my $rout;
  # Perl runs signal handlers between statements, so a SIGCHLD that lands just before select
  # would not interrupt it: while jobs run, select wakes at least every 20 ms to reap.
  my $ready = select($rout = $rin, undef, undef, %job_of ? 0.02 : undef);
  next if $ready <= 0;
  for my $pid (keys %status_of) { confirm($pid) if vec($rout, fileno $status_of{$pid}, 1) }
  next unless vec($rout, 0, 1);
  my $got = sysread STDIN, $buffer, 65536, length $buffer;
  if (!defined $got) { next if $! == 4; last }
  last if $got == 0;
  while ($buffer =~ /^(\d+)\n/ && length($buffer) >= length($1) + 1 + $1) {
    my $head = length($1) + 1;
    my $size = $1;
    my $body = substr($buffer, $head, $size);
    if ($size == 0) { $finished = 1 }
    elsif ($body =~ /^w(\d+)$/) { $watched{$1} = 1 }
    elsif ($body =~ /^f(\d+)$/) { delete $watched{$1} }
    else { launch($body) }
    substr($buffer, 0, $head + $size) = '';
  }
}
stop_run() unless $finished;
`;
