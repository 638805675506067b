// SPDX-License-Identifier: MIT
/* The TUN device: set-up (a quiet, up, IFF_NO_PI device with virtio-net headers, offloads and
 * an MTU that leaves room for ESP), reads, and writes that join TCP segments again. */
#include "io_tun.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gso.h"
#include "log.h"
#include "route.h"

static int
io_tun_ifreq(const char *name, unsigned long req, struct ifreq *ifr, struct err *err)
{
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (s < 0)
		return err_set(err, errno, "socket: %s", log_strerror(errno));
	(void)snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, req, ifr) < 0)
		rc = err_set(err, errno, "ioctl on %s: %s", name, log_strerror(errno));
	close(s);
	return rc;
}

int
io_tun_set_mtu(const char *name, uint32_t mtu, struct err *err)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	return io_tun_ifreq(name, SIOCSIFMTU, &ifr, err);
}

int
io_tun_is_up(const char *name, struct err *err)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = io_tun_ifreq(name, SIOCGIFFLAGS, &ifr, err);
	return rc < 0 ? rc : (ifr.ifr_flags & IFF_UP) != 0;
}

static int
io_tun_index(const char *name, unsigned *ifindex, struct err *err)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = io_tun_ifreq(name, SIOCGIFINDEX, &ifr, err);
	*ifindex = (unsigned)ifr.ifr_ifindex;
	return rc;
}

static int
io_tun_up(const char *name, struct err *err)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = io_tun_ifreq(name, SIOCGIFFLAGS, &ifr, err);
	if (rc < 0)
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return io_tun_ifreq(name, SIOCSIFFLAGS, &ifr, err);
}

int
io_tun_open(const char *name, uint32_t mtu, int *out, struct err *err)
{
	struct ifreq ifr;
	unsigned ifindex;
	int fd, rc;

	if (strlen(name) >= IFNAMSIZ)
		return err_set(
		    err, EINVAL, "TUN name '%s' is longer than %d characters", name, IFNAMSIZ - 1);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot open /dev/net/tun: %s", log_strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	(void)snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = err_set(
		    err, errno, "cannot create TUN device '%s': %s", name, log_strerror(errno));
		goto fail;
	}
	/* Without the offloads the kernel segments and checksums itself: slower, still right. No
	 * TSO_ECN: such rare super-packets the kernel cuts, so CWR handling stays its own. */
	(void)ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO6));
	/* A new device would take a link-local address and announce it. (Router advertisements
	 * and redirects never reach it: the engine drops those that arrive through an SA.) */
	rc = io_tun_index(name, &ifindex, err);
	if (rc == 0)
		rc = route_link_no_addrconf(ifindex, err);
	if (rc == 0)
		rc = io_tun_set_mtu(name, mtu, err);
	if (rc == 0)
		rc = io_tun_up(name, err);
	if (rc < 0)
		goto fail;
	*out = fd;
	return 0;

fail:
	close(fd);
	return rc;
}

ssize_t
io_tun_read(int fd, struct virtio_net_hdr *vh, uint8_t *buf, size_t cap)
{
	struct iovec iov[2] = { { vh, sizeof(*vh) }, { buf, cap } };
	ssize_t r = readv(fd, iov, 2);

	if (r < 0)
		return -1;
	if ((size_t)r < sizeof(*vh)) {
		errno = EPROTO;
		return -1;
	}
	return r - (ssize_t)sizeof(*vh);
}

/* Write pkts[0..count) as one packet: alone with an empty virtio-net header, or, for a run,
 * the first segment (already turned into the head) followed by the others' payloads. */
static void
io_tun_write_run(struct io_tun_writer *w, struct pkt *const *pkts, size_t count,
    struct virtio_net_hdr *vh, uint32_t hdr_len)
{
	struct iovec iov[IO_TUN_RUN_MAX + 1];

	iov[0] = (struct iovec){ vh, sizeof(*vh) };
	iov[1] = (struct iovec){ pkt_data(pkts[0]), pkts[0]->len };
	for (size_t k = 1; k < count; k++)
		iov[k + 1] = (struct iovec){ pkt_data(pkts[k]) + hdr_len, pkts[k]->len - hdr_len };
	/* A full backlog drops inside the kernel, as a full link would, and writev() succeeds;
	 * it fails when the device is down or gone. */
	if (writev(w->fd, iov, (int)count + 1) < 0)
		w->refused += count;
}

void
io_tun_writer_init(struct io_tun_writer *w, int fd)
{
	w->fd = fd;
	w->refused = 0;
	w->count = 0;
}

void
io_tun_writer_flush(struct io_tun_writer *w)
{
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };

	if (w->count == 0)
		return;
	if (w->count > 1)
		gso_run_finish(&w->run, &vh);
	io_tun_write_run(w, w->pkts, w->count, &vh, w->run.head.hdr_len);
	w->count = 0;
}

void
io_tun_writer_add(struct io_tun_writer *w, struct pkt *p, uint64_t tag)
{
	struct virtio_net_hdr none = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	struct gso_seg seg;

	if (!gso_seg_parse(pkt_data(p), p->len, &seg)) {
		io_tun_writer_flush(w);
		io_tun_write_run(w, &p, 1, &none, 0);
		return;
	}
	if (w->count > 0 && w->count < IO_TUN_RUN_MAX && gso_run_add(&w->run, pkt_data(p), &seg)) {
		w->pkts[w->count++] = p;
	} else {
		io_tun_writer_flush(w);
		gso_run_start(&w->run, pkt_data(p), &seg);
		w->pkts[0] = p;
		w->count = 1;
		w->tag = tag;
	}
	if (gso_run_closed(&w->run) || w->count == IO_TUN_RUN_MAX)
		io_tun_writer_flush(w);
}
