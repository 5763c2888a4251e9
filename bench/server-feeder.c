/* bench/server-feeder: bench/server's driver: runs the receiver once per host, PARALLEL at a time, with posix_spawn
 * (the receiver invoked directly, as sshd would run it, without ssh). Each child gets its
 * payload on a pipe and answers on another; per run it prints "CPU_SECONDS MAXRSS_KB OK". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
enum { PARALLEL = 2 };
static const char *services =
  "{\"name\":\"svc0\",\"params\":{\"port\":\"8080\",\"uri\":\"/\"},\"source\":\"bench.conf\",\"type\":\"http\"},"
  "{\"name\":\"svc1\",\"params\":{},\"source\":\"bench.conf\",\"type\":\"ssh\"},"
  "{\"name\":\"svc2\",\"params\":{\"port\":\"5432\"},\"source\":\"bench.conf\",\"type\":\"tcp\"},"
  "{\"name\":\"svc3\",\"params\":{},\"source\":\"bench.conf\",\"type\":\"smtp\"},"
  "{\"name\":\"svc4\",\"params\":{\"ssl\":\"true\"},\"source\":\"bench.conf\",\"type\":\"imap\"},"
  "{\"name\":\"svc5\",\"params\":{},\"source\":\"bench.conf\",\"type\":\"pop3\"},"
  "{\"name\":\"svc6\",\"params\":{},\"source\":\"bench.conf\",\"type\":\"ldap\"},"
  "{\"name\":\"svc7\",\"params\":{\"port\":\"53\"},\"source\":\"bench.conf\",\"type\":\"udp\"},"
  "{\"name\":\"svc8\",\"params\":{\"port\":\"443\",\"ssl\":\"true\"},\"source\":\"bench.conf\",\"type\":\"http\"},"
  "{\"name\":\"svc9\",\"params\":{\"port\":\"6379\"},\"source\":\"bench.conf\",\"type\":\"tcp\"}";

struct child { pid_t pid; int out; };

static void reap(struct child *running, int *count) {
  int status;
  struct rusage usage;
  pid_t pid = wait4(-1, &status, 0, &usage);
  if (pid < 0) { perror("wait4"); exit(1); }
  for (int i = 0; i < *count; i++) {
    if (running[i].pid != pid) continue;
    char reply[8192];
    ssize_t n, total = 0;
    while ((n = read(running[i].out, reply + total, sizeof reply - 1 - total)) > 0) total += n;
    reply[total] = 0;
    close(running[i].out);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && strstr(reply, "\"result\":\"stored\"") != NULL;
    double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    printf("%.6f %ld %d\n", cpu, usage.ru_maxrss, ok);
    running[i] = running[--*count];
    return;
  }
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: server-feeder HOSTS RECEIVER CONFIG\n"); return 64; }
  int hosts = atoi(argv[1]);
  struct child running[PARALLEL];
  int count = 0;
  signal(SIGPIPE, SIG_IGN);
  setenv("SSH_ORIGINAL_COMMAND", "register", 1);
  for (int n = 0; n < hosts; n++) {
    char host[64], payload[4096];
    snprintf(host, sizeof host, "h%d.bench.example.org", n);
    int length = snprintf(payload, sizeof payload, "{\"host\":\"%s\",\"services\":[%s],\"version\":1}", host, services);
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) { perror("pipe"); return 1; }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    char *args[] = {argv[2], "--config", argv[3], "--client", host, NULL};
    pid_t pid;
    int error = posix_spawn(&pid, argv[2], &actions, NULL, args, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error) { fprintf(stderr, "posix_spawn %s: %s\n", argv[2], strerror(error)); return 1; }
    close(in[0]);
    close(out[1]);
    if (write(in[1], payload, length) != length) perror("write payload");
    close(in[1]);
    running[count++] = (struct child){pid, out[0]};
    if (count == PARALLEL) reap(running, &count);
  }
  while (count > 0) reap(running, &count);
  return 0;
}
