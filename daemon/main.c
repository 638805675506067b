// SPDX-License-Identifier: MIT
/* ipsec6d: options, start-up (state, control socket, detaching), signals and the loop. The
 * daemon owns the SAD and SPD; the data path puts them in force through state_set_hooks(). */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "dataplane.h"
#include "events.h"
#include "fault.h"
#include "lifetime.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "privs.h"
#include "seq.h"
#include "show.h"
#include "state.h"

#ifndef IPSEC6_VERSION
#define IPSEC6_VERSION "unknown"
#endif

#define MAIN_CONFIG_DEFAULT "/var/lib/ipsec6/ipsec6.conf"
/* Where the default was before 0.2: a file there is not silently left behind. */
#define MAIN_CONFIG_OLD     "/etc/ipsec6/ipsec6.conf"
#define MAIN_SOCKET_DEFAULT "/run/ipsec6/ipsec6.sock"

struct main_opts {
	bool foreground;
	bool no_dataplane;
	bool debug;
	bool allow_core_dump;
	const char *metrics;    /* [ADDR]:PORT, or NULL */
	const char *user;       /* --user, or NULL */
	const char *config_arg; /* as given */
	const char *socket_arg;
	char *config; /* absolute */
	char *socket;
	const char *group;
	const char *tun;
	enum crypto_backend backend;
};

/* What the signal watch needs. */
struct main_ctx {
	struct loop_watch sig;
	struct loop *loop;
	struct state *st;
	struct dataplane *dp;
	struct seq_keeper *seq;
	struct metrics *metrics;
	struct loop_watch tick; /* every SEQ_TICK_MS */
	uint64_t ticks;
};

static void
main_usage(FILE *to)
{
	(void)fprintf(to,
	    "Usage: ipsec6d [options]\n"
	    "\n"
	    "The ipsec6 daemon: holds the SAD and SPD, keeps them in the configuration file and\n"
	    "serves the control socket that the ipsec6 command talks to.\n"
	    "\n"
	    "Options:\n"
	    "  --foreground     stay in the foreground and log to stderr (default: detach, syslog)\n"
	    "  --config PATH    configuration file (default " MAIN_CONFIG_DEFAULT ")\n"
	    "  --socket PATH    control socket (default " MAIN_SOCKET_DEFAULT ")\n"
	    "  --group NAME     let members of group NAME read lists and counters (socket 0660,\n"
	    "                   directory 0750); changes and keys stay root's\n"
	    "  --tun NAME       TUN device of the data path (default ipsec6)\n"
	    "  --crypto NAME    crypto backend: auto, openssl or ipsec-mb (default auto)\n"
	    "  --no-dataplane   hold and serve the state only; touch no network interface\n"
	    "  --debug          log debug messages too\n"
	    "  --metrics [ADDR]:PORT  serve Prometheus metrics at http://ADDR:PORT/metrics\n"
	    "                   (PORT alone: on ::1)\n"
	    "  --user NAME      once set up, run as user NAME (its configuration directory\n"
	    "                   must be its to write); always: only CAP_NET_ADMIN and\n"
	    "                   CAP_NET_RAW, no new privileges, a system call allow-list\n"
	    "  --allow-core-dump  stay dumpable, for debugging: a core file holds the daemon's\n"
	    "                   memory except the keys (default: no core file, not dumpable)\n"
	    "  --help           print this help and exit\n"
	    "  --version        print the version and exit\n"
	    "\n"
	    "Signals: SIGHUP reloads the configuration file (an invalid file is refused and the\n"
	    "state kept); SIGTERM and SIGINT stop the daemon and remove the socket.\n");
}

/* Paths are kept absolute: the detached daemon runs in /. */
static char *
main_abspath(const char *path)
{
	char cwd[4096];
	char *out;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		log_fatal("getcwd: %s", log_strerror(errno));
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

enum {
	MAIN_OPT_FOREGROUND = 256,
	MAIN_OPT_CONFIG,
	MAIN_OPT_SOCKET,
	MAIN_OPT_GROUP,
	MAIN_OPT_NO_DATAPLANE,
	MAIN_OPT_TUN,
	MAIN_OPT_CRYPTO,
	MAIN_OPT_DEBUG,
	MAIN_OPT_ALLOW_CORE_DUMP,
	MAIN_OPT_METRICS,
	MAIN_OPT_USER,
	MAIN_OPT_HELP,
	MAIN_OPT_VERSION
};

/* main_option() and main_parse(): carry on with start-up. */
#define MAIN_GO_ON (-1)

/* One option that getopt_long() returned. Returns MAIN_GO_ON, or the status to exit with
 * (0 after --help and --version, 2 for a usage error, which it has printed). */
static int
main_option(int c, char **argv, struct main_opts *o)
{
	struct err perr = { "" };

	switch (c) {
	case MAIN_OPT_FOREGROUND:
		o->foreground = true;
		return MAIN_GO_ON;
	case MAIN_OPT_CONFIG:
		o->config_arg = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_SOCKET:
		o->socket_arg = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_GROUP:
		o->group = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_NO_DATAPLANE:
		o->no_dataplane = true;
		return MAIN_GO_ON;
	case MAIN_OPT_TUN:
		o->tun = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_CRYPTO:
		if (crypto_backend_parse(optarg, &o->backend, &perr) == 0)
			return MAIN_GO_ON;
		(void)fprintf(stderr, "ipsec6d: %s\n", perr.msg);
		return 2;
	case MAIN_OPT_DEBUG:
		o->debug = true;
		return MAIN_GO_ON;
	case MAIN_OPT_METRICS:
		o->metrics = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_USER:
		o->user = optarg;
		return MAIN_GO_ON;
	case MAIN_OPT_ALLOW_CORE_DUMP:
		o->allow_core_dump = true;
		return MAIN_GO_ON;
	case 'h':
	case MAIN_OPT_HELP:
		main_usage(stdout);
		return 0;
	case MAIN_OPT_VERSION:
		(void)printf("ipsec6d %s\n", IPSEC6_VERSION);
		return 0;
	case ':':
		(void)fprintf(stderr, "ipsec6d: %s needs a value\n", argv[optind - 1]);
		return 2;
	default:
		(void)fprintf(
		    stderr, "ipsec6d: unknown option %s (see --help)\n", argv[optind - 1]);
		return 2;
	}
}

/* The default configuration is missing but one is at the old default path: starting empty
 * would drop its SAs and policies, so say where it should go. */
static int
main_config_moved(const struct main_opts *o)
{
	if (strcmp(o->config, MAIN_CONFIG_DEFAULT) != 0 || access(MAIN_CONFIG_DEFAULT, F_OK) == 0 ||
	    errno != ENOENT || access(MAIN_CONFIG_OLD, F_OK) != 0)
		return MAIN_GO_ON;
	(void)fprintf(stderr,
	    "ipsec6d: %s is missing but %s exists: the configuration now lives in the first; move "
	    "it there with its .seq file (or pass --config %s)\n",
	    MAIN_CONFIG_DEFAULT, MAIN_CONFIG_OLD, MAIN_CONFIG_OLD);
	return 1;
}

/* Returns MAIN_GO_ON with o filled in, or the status to exit with (see main_option()). */
static int
main_parse(int argc, char **argv, struct main_opts *o)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, MAIN_OPT_FOREGROUND },
		{ "config", required_argument, NULL, MAIN_OPT_CONFIG },
		{ "socket", required_argument, NULL, MAIN_OPT_SOCKET },
		{ "group", required_argument, NULL, MAIN_OPT_GROUP },
		{ "no-dataplane", no_argument, NULL, MAIN_OPT_NO_DATAPLANE },
		{ "tun", required_argument, NULL, MAIN_OPT_TUN },
		{ "crypto", required_argument, NULL, MAIN_OPT_CRYPTO },
		{ "debug", no_argument, NULL, MAIN_OPT_DEBUG },
		{ "allow-core-dump", no_argument, NULL, MAIN_OPT_ALLOW_CORE_DUMP },
		{ "metrics", required_argument, NULL, MAIN_OPT_METRICS },
		{ "user", required_argument, NULL, MAIN_OPT_USER },
		{ "help", no_argument, NULL, MAIN_OPT_HELP },
		{ "version", no_argument, NULL, MAIN_OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c, status;

	o->config_arg = MAIN_CONFIG_DEFAULT;
	o->socket_arg = MAIN_SOCKET_DEFAULT;
	opterr = 0;
	/* getopt_long() keeps its place in globals: fine, no other thread exists yet.
	 * NOLINTNEXTLINE(concurrency-mt-unsafe) */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		status = main_option(c, argv, o);
		if (status != MAIN_GO_ON)
			return status;
	}
	if (optind < argc) {
		(void)fprintf(
		    stderr, "ipsec6d: unexpected argument %s (see --help)\n", argv[optind]);
		return 2;
	}
	if (o->config_arg[0] == '\0' || o->socket_arg[0] == '\0') {
		(void)fprintf(stderr, "ipsec6d: --config and --socket need a path\n");
		return 2;
	}
	o->config = main_abspath(o->config_arg);
	o->socket = main_abspath(o->socket_arg);
	if (o->config == NULL || o->socket == NULL)
		log_fatal("out of memory");
	return main_config_moved(o);
}

/* Keys and their schedules live in locked memory that cores leave out (lib/secret.c), but a
 * core of the whole process would still carry whatever else the daemon holds: none is written
 * unless asked for. Not dumpable also keeps ptrace and /proc/PID/mem to root (CAP_SYS_PTRACE).
 * Inherited by the detached child and the packet threads. */
static void
main_core_dump(bool allow)
{
	const struct rlimit none = { 0, 0 };

	if (allow) {
		log_info("core dumps allowed (--allow-core-dump); key memory stays out of them");
		return;
	}
	if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		log_fatal("cannot turn core dumps off: %s", log_strerror(errno));
}

static gid_t
main_group(const char *name)
{
	/* Start-up, no other thread yet: getgrnam()'s static result is safe. */
	struct group *gr = getgrnam(name); /* NOLINT(concurrency-mt-unsafe) */
	char *end;
	unsigned long id;

	if (gr != NULL)
		return gr->gr_gid;
	errno = 0;
	id = strtoul(name, &end, 10);
	if (errno == 0 && end != name && *end == '\0' && id < (gid_t)-1)
		return (gid_t)id;
	log_fatal("--group %s: no such group", name);
}

static void
main_signal(struct loop_watch *w, uint32_t events)
{
	struct main_ctx *m = (struct main_ctx *)w;
	struct signalfd_siginfo si;
	struct err err = { "" };

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (state_reload(m->st, &err) != 0) {
				log_warn("reload refused, the previous state stays: %s", err.msg);
				events_emit("reload-refused", NULL,
				    "reload refused, the previous state stays: %s", err.msg);
			} else {
				log_info("reloaded the configuration: %zu SAs, %zu policies",
				    sad_count(db_sad(state_db(m->st))),
				    spd_count(db_spd(state_db(m->st))));
				events_emit("reload", NULL,
				    "reloaded the configuration: %zu SAs, %zu policies",
				    sad_count(db_sad(state_db(m->st))),
				    spd_count(db_spd(state_db(m->st))));
			}
			err_clear(&err);
		} else {
			log_info("stopping on signal %u", si.ssi_signo);
			events_emit("stop", NULL, "ipsec6d stops (signal %u)", si.ssi_signo);
			loop_stop(m->loop);
		}
	}
}

static int
main_signals(struct main_ctx *m)
{
	sigset_t set;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	int rc;

	/* Writes to a client that went away must fail with EPIPE, not kill the daemon. */
	(void)sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Before the packet threads start, so that they inherit the mask and only the signalfd
	 * sees these signals. */
	rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (rc != 0)
		return -rc;
	m->sig.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (m->sig.fd < 0)
		return -errno;
	m->sig.fn = main_signal;
	return loop_add(m->loop, &m->sig, EPOLLIN);
}

/* Detach before anything is loaded (memory locks do not survive fork()), but let the parent
 * wait: it exits 0 once the daemon serves, or with the daemon's status if start-up failed, so
 * errors still reach the terminal. Returns the write end of the readiness pipe. */
static int
main_detach(void)
{
	int fds[2];
	pid_t pid;
	char ok;
	int status;

	if (pipe2(fds, O_CLOEXEC) != 0)
		log_fatal("pipe: %s", log_strerror(errno));
	pid = fork();
	if (pid < 0)
		log_fatal("fork: %s", log_strerror(errno));
	if (pid > 0) {
		(void)close(fds[1]);
		if (read(fds[0], &ok, 1) == 1)
			_exit(0);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		_exit(1);
	}
	(void)close(fds[0]);
	if (setsid() < 0)
		log_fatal("setsid: %s", log_strerror(errno));
	return fds[1];
}

/* Serving: tell the waiting parent, then leave the terminal for syslog. */
static void
main_ready(int ready_fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null >= 0) {
		(void)dup2(null, STDIN_FILENO);
		(void)dup2(null, STDOUT_FILENO);
		(void)dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			(void)close(null);
	}
	log_use_syslog();
	if (chdir("/") != 0)
		log_warn("chdir /: %s", log_strerror(errno));
	/* The parent reads one byte or end-of-file; a failed write is end-of-file to it. */
	if (write(ready_fd, "1", 1) != 1)
		log_warn("cannot signal readiness: %s", log_strerror(errno));
	(void)close(ready_fd);
}

/* A change is in force once its SAs have durable sequence reservations, the packet threads
 * have its snapshot and the kernel its steering rules (state.h: all or nothing). */
static int
main_publish(void *ctx, const struct db *db, struct err *err)
{
	struct main_ctx *m = ctx;
	int rc = seq_keeper_admit(m->seq, db, err);

	return rc != 0 ? rc : dp_update(m->dp, db, err);
}

static void
main_fail_closed(void *ctx, const struct db *db, const char *why)
{
	struct main_ctx *m = ctx;

	dp_fail_closed(m->dp, db, why);
}

/* Every SEQ_TICK_MS: sequence reservations and saved tops; once a second: retired SAs whose
 * grace is over, the SA lifetimes,
 * and whether the host's addresses changed under the data path's receive ring. */
static void
main_tick(struct loop_watch *w, uint32_t events)
{
	struct main_ctx *m = (struct main_ctx *)((char *)w - offsetof(struct main_ctx, tick));
	struct err err = { "" };
	uint64_t ticks;
	bool second;

	(void)events;
	if (read(w->fd, &ticks, sizeof(ticks)) != (ssize_t)sizeof(ticks))
		return;
	metrics_tick(m->metrics);
	/* A test's injected forbidden call: uselib(2), harmless where seccomp lets it through. */
	if (fault_hit(FAULT_SYSCALL))
		(void)syscall(SYS_uselib, NULL);
	second = ++m->ticks % (1000 / SEQ_TICK_MS) == 0;
	if (second) {
		if (state_end_grace(m->st, &err) != 0)
			log_warn("retired SAs not removed yet: %s", err.msg);
		err_clear(&err);
		lifetime_tick(state_db(m->st));
		events_drops_tick(state_db(m->st), m->dp);
	}
	if (m->dp == NULL)
		return;
	if (seq_keeper_tick(m->seq, state_db(m->st), &err) != 0)
		log_warn("sequence numbers not reserved: %s", err.msg);
	err_clear(&err);
	dp_poll(m->dp);
	if (!second)
		return;
	dp_tick(m->dp, state_db(m->st));
	/* Failed closed: try again to put the state in force, once a second. */
	if (dp_is_closed(m->dp) && state_republish(m->st, &err) == 0)
		log_info("the state is in force again: traffic flows");
}

/* The daemon's tick, every SEQ_TICK_MS. */
static void
main_tick_start(struct main_ctx *m)
{
	struct itimerspec every = { { 0, SEQ_TICK_MS * 1000000L }, { 0, SEQ_TICK_MS * 1000000L } };

	m->tick.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	m->tick.fn = main_tick;
	if (m->tick.fd < 0 || timerfd_settime(m->tick.fd, 0, &every, NULL) != 0 ||
	    loop_add(m->loop, &m->tick, EPOLLIN) != 0)
		log_fatal("tick timer: %s", log_strerror(errno));
}

/* Sequence numbers continue where the last run reserved them; the tick keeps them going. */
static void
main_seq(const struct main_opts *o, struct main_ctx *m)
{
	struct err err = { "" };

	if (seq_keeper_new(o->config, &m->seq, &err) != 0 ||
	    seq_keeper_restore(m->seq, state_db(m->st), &err) != 0)
		log_fatal("sequence numbers: %s", err.msg);
}

/* Set up: least privilege from here on, then the packet threads, which inherit it. */
static void
main_privileges(const struct main_opts *o, struct main_ctx *m, const struct ctl *ctl)
{
	const struct privs_opts po = {
		.user = o->user,
		.config = o->config,
		.socket = o->socket,
		.socket_dir = ctl_made_dir(ctl),
		.dumpable = o->allow_core_dump,
		.seccomp = !privs_sanitized(),
	};
	struct err err = { "" };

	if (privs_drop(&po, &err) != 0)
		log_fatal("%s", err.msg);
	if (m->dp != NULL && dp_run(m->dp, &err) != 0)
		log_fatal("data path: %s", err.msg);
}

/* --metrics: the counters for Prometheus, with the data path's when there is one. */
static void
main_metrics(const struct main_opts *o, struct main_ctx *m)
{
	struct metrics_source src = { IPSEC6_VERSION,
		crypto_backend_name(crypto_backend_resolve(o->backend)), m->st,
		m->dp != NULL ? show_dp_metrics : show_db_metrics, m->dp };
	struct err err = { "" };

	if (o->metrics != NULL && metrics_open(o->metrics, m->loop, &src, &m->metrics, &err) != 0)
		log_fatal("%s", err.msg);
}

static void
main_dataplane(const struct main_opts *o, struct main_ctx *m)
{
	struct dp_config cfg;
	struct err err = { "" };

	dp_config_default(&cfg);
	cfg.backend = o->backend;
	if (o->tun != NULL)
		cfg.tun = o->tun;
	main_seq(o, m);
	if (dp_start(&cfg, state_db(m->st), &m->dp, &err) != 0)
		log_fatal("data path: %s", err.msg);
	state_set_hooks(m->st, &(struct state_hooks){ main_publish, main_fail_closed, m });
	state_set_stats(m->st, show_dp_stats, m->dp);
	log_info("data path on TUN device %s, crypto %s", cfg.tun,
	    crypto_backend_name(crypto_backend_resolve(cfg.backend)));
}

int
main(int argc, char **argv)
{
	struct main_opts o = { 0 };
	struct ctl_opts co = { 0 };
	struct main_ctx m = { .sig.fd = -1 };
	struct err err = { "" };
	struct ctl *ctl = NULL;
	int ready_fd = -1;
	int rc;

	log_init(false);
	rc = main_parse(argc, argv, &o);
	if (rc != MAIN_GO_ON)
		return rc;
	log_init(o.debug);
	main_core_dump(o.allow_core_dump);
	fault_init();
	/* Everything the daemon creates (file, socket, directories) is private by default. */
	umask(077);
	co.path = o.socket;
	co.group_name = o.group;
	co.has_group = o.group != NULL;
	if (co.has_group)
		co.gid = main_group(o.group);
	if (!o.foreground)
		ready_fd = main_detach();
	if (state_new(o.config, o.backend, &m.st, &err) != 0)
		log_fatal("%s", err.msg);
	rc = loop_new(&m.loop);
	if (rc == 0)
		rc = main_signals(&m);
	if (rc != 0)
		log_fatal("event loop: %s", log_strerror(-rc));
	if (ctl_open(&co, m.loop, m.st, &ctl, &err) != 0)
		log_fatal("%s", err.msg);
	if (!o.no_dataplane)
		main_dataplane(&o, &m);
	main_metrics(&o, &m);
	main_tick_start(&m);
	main_privileges(&o, &m, ctl);
	log_info("serving %s %s; %s: %zu SAs, %zu policies", o.socket,
	    m.dp != NULL ? "with the data path" : "without a data path", o.config,
	    sad_count(db_sad(state_db(m.st))), spd_count(db_spd(state_db(m.st))));
	if (ready_fd >= 0)
		main_ready(ready_fd);
	rc = loop_run(m.loop);
	if (rc != 0)
		log_warn("event loop: %s", log_strerror(-rc));
	ctl_close(ctl);
	metrics_close(m.metrics);
	(void)close(m.tick.fd);
	if (m.dp != NULL) {
		if (dp_stop(m.dp) == 0)
			log_info("data path stopped: TUN device, steering table, routes and rule "
				 "removed");
		else
			log_warn(
			    "data path stopped: TUN device, routes and rule removed; the "
			    "steering table stays and sends marked packets into the blackhole");
		if (seq_keeper_flush(m.seq, state_db(m.st), &err) != 0)
			log_warn("sequence numbers not saved: %s", err.msg);
		seq_keeper_free(m.seq);
	}
	(void)close(m.sig.fd);
	loop_free(m.loop);
	state_free(m.st);
	free(o.config);
	free(o.socket);
	return rc != 0 ? 1 : 0;
}
