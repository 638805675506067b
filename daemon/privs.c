// SPDX-License-Identifier: MIT
/* Dropping privileges after start-up (privs.h): the user switch and capabilities with
 * libcap-ng, no_new_privs, and the seccomp allow-list with libseccomp. */
#include "privs.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Every system call ipsec6d and its libraries (glibc, OpenSSL, intel-ipsec-mb, libnftables,
 * libmnl, liburcu) make after start-up: the packet threads' I/O, the control socket, the
 * configuration and sequence files, nftables and rtnetlink, the metrics server, memory, time,
 * threads, signals, logging. Gathered with strace over the e2e suite, then each one kept for a
 * reason in this list's own order. */
static const char *const privs_allowed[] = {
	/* I/O of the packet threads and the sockets. */
	"read",
	"write",
	"readv",
	"writev",
	"pread64",
	"sendmsg",
	"sendmmsg",
	"recvmsg",
	"recvmmsg",
	"sendto",
	"recvfrom",
	"poll",
	"ppoll",
	"pselect6",
	"select",
	"epoll_wait",
	"epoll_pwait",
	"epoll_ctl",
	"epoll_create1",
	"eventfd2",
	"timerfd_create",
	"timerfd_settime",
	"accept4",
	"shutdown",
	"socket",
	"bind",
	"listen",
	"connect",
	"setsockopt",
	"getsockopt",
	"getsockname",
	"getpeername",
	"ioctl",
	"close",
	"fcntl",
	"dup",
	"dup2",
	"dup3",
	"pipe2",
	"chdir",
	/* Files: the configuration and its sequence file, replaced durably; the socket. */
	"openat",
	"newfstatat",
	"fstat",
	"lseek",
	"fsync",
	"fdatasync",
	"rename",
	"renameat",
	"renameat2",
	"unlink",
	"unlinkat",
	"mkdir",
	"mkdirat",
	"chmod",
	"fchmod",
	"fchown",
	"access",
	"faccessat",
	"faccessat2",
	"readlink",
	"statx",
	"getdents64",
	"umask",
	/* Memory: glibc, the key memory (locked, not dumped), liburcu's barrier. */
	"mmap",
	"munmap",
	"mprotect",
	"mremap",
	"madvise",
	"brk",
	"mlock",
	"munlock",
	"membarrier",
	/* Threads, time, randomness, identity. */
	"futex",
	"clone",
	"clone3",
	"set_robust_list",
	"set_tid_address",
	"rseq",
	"sched_yield",
	"sched_getaffinity",
	"nanosleep",
	"clock_nanosleep",
	"clock_gettime",
	"gettimeofday",
	"getrandom",
	"getpid",
	"gettid",
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"prlimit64",
	"uname",
	"prctl",
	"arch_prctl",
	"sysinfo",
	"getcpu",
	"getrusage",
	"times",
	"getcwd",
	/* Signals (signalfd; the handler below), and the end. */
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"signalfd4",
	"tgkill",
	"exit",
	"exit_group",
	"restart_syscall",
};

/* A call outside the list: say which, then die of SIGSYS (the kernel's own verdict for it).
 * Async-signal-safe: write(), rt_sigaction(), rt_sigprocmask() and tgkill() only. */
static void
privs_sigsys(int sig, siginfo_t *si, void *ctx)
{
	static const char head[] = "ipsec6d: seccomp: system call ";
	static const char tail[] = " is not allowed: stopping\n";
	char num[12];
	size_t n = sizeof(num);
	unsigned v = si->si_syscall >= 0 ? (unsigned)si->si_syscall : 0;
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	(void)ctx;
	do {
		num[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n > 0);
	(void)!write(STDERR_FILENO, head, sizeof(head) - 1);
	(void)!write(STDERR_FILENO, num + n, sizeof(num) - n);
	(void)!write(STDERR_FILENO, tail, sizeof(tail) - 1);
	(void)sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(sig);
}

static int
privs_seccomp(struct err *err)
{
	struct sigaction sa = { .sa_sigaction = privs_sigsys, .sa_flags = SA_SIGINFO };
	scmp_filter_ctx f;
	int rc = 0;

	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return err_set(err, errno, "seccomp: SIGSYS handler: %s", log_strerror(errno));
	f = seccomp_init(SCMP_ACT_TRAP);
	if (f == NULL)
		return err_set(err, ENOMEM, "seccomp: out of memory");
	/* A binary search over the call numbers rather than a list: the packet threads' calls
	 * pass the filter in a few comparisons each. */
	rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; rc == 0 && i < sizeof(privs_allowed) / sizeof(privs_allowed[0]); i++) {
		int nr = seccomp_syscall_resolve_name(privs_allowed[i]);

		/* A name this architecture lacks (an older call's newer form) is simply absent. */
		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0);
	}
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	return rc == 0 ? 0 : err_set(err, -rc, "seccomp: %s", log_strerror(-rc));
}

/* A file of the daemon's own (the configuration, its sequence file), when there is one, goes to
 * the user that will rewrite it: the regular file itself, never what a link points to. */
static int
privs_give_file(const char *path, uid_t uid, gid_t gid, struct err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int rc = 0;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		rc = err_set(err, errno, "%s: %s", path, log_strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = err_set(err, EINVAL, "%s is not a regular file", path);
	else if (fchown(fd, uid, gid) < 0)
		rc = err_set(err, errno, "cannot give %s to the daemon's user: %s", path,
		    log_strerror(errno));
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

/* What the daemon made as root becomes the user's: the socket (and its directory when ipsec6d
 * made it), so that a clean stop removes them, and the configuration and sequence files, which
 * it reads again at a reload and a restart. A socket directory that was there before stays as
 * it is (it may be /tmp): the socket left in it after a stop is cleared by the next start. */
static int
privs_give(const struct privs_opts *o, const struct passwd *pw, struct err *err)
{
	char *dir = strdup(o->socket);
	char *seq = NULL;
	int rc = 0;

	if (dir == NULL || asprintf(&seq, "%s.seq", o->config) < 0) {
		free(dir);
		return err_set(err, ENOMEM, "out of memory");
	}
	if (lchown(o->socket, pw->pw_uid, (gid_t)-1) < 0 ||
	    (o->socket_dir &&
		lchown(dirname(dir), pw->pw_uid, (gid_t)-1) <
		    0)) /* NOLINT(concurrency-mt-unsafe) */
		rc = err_set(err, errno, "cannot give %s to the daemon's user: %s", o->socket,
		    log_strerror(errno));
	if (rc == 0)
		rc = privs_give_file(o->config, pw->pw_uid, pw->pw_gid, err);
	if (rc == 0)
		rc = privs_give_file(seq, pw->pw_uid, pw->pw_gid, err);
	free(seq);
	free(dir);
	return rc;
}

/* With the privileges dropped: the configuration's directory takes the durable writes (a new file,
 * then rename), and the files there now are read again at a reload and a restart. */
static int
privs_check_config(const struct privs_opts *o, struct err *err)
{
	char *copy = strdup(o->config);
	char *seq = NULL;
	const char *bad = NULL;
	int rc = 0;

	if (copy == NULL || asprintf(&seq, "%s.seq", o->config) < 0) {
		free(copy);
		return err_set(err, ENOMEM, "out of memory");
	}
	if (access(o->config, R_OK) < 0 && errno != ENOENT)
		bad = o->config;
	else if (access(seq, R_OK) < 0 && errno != ENOENT)
		bad = seq;
	else if (access(dirname(copy), W_OK) < 0) { /* NOLINT(concurrency-mt-unsafe) */
		bad = copy;
		/* A missing directory is made by the first change (store.c): in its parent. */
		if (errno == ENOENT &&
		    access(dirname(copy), W_OK) == 0) /* NOLINT(concurrency-mt-unsafe) */
			bad = NULL;
	}
	if (bad != NULL)
		rc = err_set(err, errno,
		    "%s: %s, as uid %ld with CAP_NET_ADMIN and CAP_NET_RAW only", bad,
		    log_strerror(errno), (long)geteuid());
	free(seq);
	free(copy);
	return rc;
}

/* Keys stay locked in memory (lib/secret.c) once CAP_IPC_LOCK is gone: up to the hard limit,
 * raised to PRIVS_MEMLOCK first where that may still be done (CAP_SYS_RESOURCE). */
#define PRIVS_MEMLOCK (64u << 20)

static void
privs_memlock(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < PRIVS_MEMLOCK) {
		const struct rlimit more = { PRIVS_MEMLOCK, PRIVS_MEMLOCK };

		if (setrlimit(RLIMIT_MEMLOCK, &more) == 0)
			return;
	}
	rl.rlim_cur = rl.rlim_max;
	(void)setrlimit(RLIMIT_MEMLOCK, &rl);
}

/* Whether the process has CAP_NET_ADMIN and CAP_NET_RAW, effective and permitted, and no other
 * capability (after capng_get_caps_process()). */
static bool
privs_caps_exact(void)
{
	for (unsigned c = 0; c <= CAP_LAST_CAP; c++) {
		int want = c == CAP_NET_ADMIN || c == CAP_NET_RAW;

		if ((capng_have_capability(CAPNG_EFFECTIVE, c) != 0) != want ||
		    (capng_have_capability(CAPNG_PERMITTED, c) != 0) != want)
			return false;
	}
	return true;
}

int
privs_drop(const struct privs_opts *o, struct err *err)
{
	/* Start-up, one thread. NOLINTNEXTLINE(concurrency-mt-unsafe) */
	const struct passwd *pw = o->user != NULL ? getpwnam(o->user) : NULL;
	bool bounds, exact;
	int rc = 0;

	if (o->user != NULL && pw == NULL)
		return err_set(err, ENOENT, "--user %s: no such user", o->user);
	if (capng_get_caps_process() != 0)
		return err_set(err, errno, "cannot read the capabilities: %s", log_strerror(errno));
	/* Started by a service manager as its user with the two capabilities ambient (the
	 * package's unit), there is no CAP_SETPCAP: the bounding set is the manager's to limit,
	 * and capset(2) may be filtered out. */
	bounds = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 0;
	exact = privs_caps_exact();
	if (pw != NULL && !bounds)
		return err_set(err, EPERM, "--user %s: only root may switch users", o->user);
	privs_memlock();
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
		CAP_NET_ADMIN, CAP_NET_RAW, -1) != 0)
		return err_set(err, EINVAL, "cannot name the capabilities to keep");
	if (pw != NULL)
		rc = privs_give(o, pw, err);
	/* The bounding set first, while CAP_SETPCAP is still there: the switch keeps it. */
	if (rc == 0 && bounds && capng_apply(CAPNG_SELECT_BOUNDS) != 0)
		rc = err_set(err, EPERM, "cannot limit the capability bounding set");
	if (rc == 0 && pw != NULL) {
		rc = capng_change_id((int)pw->pw_uid, (int)pw->pw_gid, CAPNG_DROP_SUPP_GRP);
		if (rc != 0)
			rc = err_set(err, EPERM, "--user %s: cannot switch to it (libcap-ng %d)",
			    o->user, rc);
	} else if (rc == 0 && exact && !bounds) {
		/* Only the ambient set is left to clear (inheritable, as the manager set it, is
		 * inert: nothing is ever executed). */
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
			rc = err_set(err, errno, "cannot clear the ambient capabilities: %s",
			    log_strerror(errno));
	} else if (rc == 0 && capng_apply(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) != 0) {
		rc = err_set(err, EPERM, "cannot drop capabilities");
	}
	if (rc == 0)
		rc = privs_check_config(o, err);
	/* A change of user has made the process undumpable (fs.suid_dumpable); asked for, it is
	 * dumpable again, and /proc/PID/ belongs to the user. */
	if (rc == 0 && o->dumpable && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		rc = err_set(err, errno, "--allow-core-dump: %s", log_strerror(errno));
	if (rc == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		rc = err_set(err, errno, "no_new_privs: %s", log_strerror(errno));
	if (rc == 0 && o->seccomp)
		rc = privs_seccomp(err);
	return rc;
}

bool
privs_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	return true;
#else
	return false;
#endif
#else
	return false;
#endif
}
