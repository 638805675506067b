// SPDX-License-Identifier: MIT
/* TUN device set-up: a quiet, up, IFF_NO_PI device with an MTU that leaves room for ESP. */
#include "io_tun.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write value into /proc/sys/net/ipv6/conf/<dev>/<key>. Our own device only: ipsec6d never
 * changes the system's sysctls. */
static int
io_tun_sysctl(const char *dev, const char *key, const char *value, struct err *err)
{
	char path[128];
	int fd, n, rc = 0;
	size_t len = strlen(value);

	n = snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", dev, key);
	if (n < 0 || (size_t)n >= sizeof(path))
		return err_set(err, ENAMETOOLONG, "device name '%s' is too long", dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot open %s: %s", path, strerror(errno));
	if (write(fd, value, len) != (ssize_t)len)
		rc = err_set(err, errno, "cannot write %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

static int
io_tun_ifreq(const char *name, unsigned long req, struct ifreq *ifr, struct err *err)
{
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (s < 0)
		return err_set(err, errno, "socket: %s", strerror(errno));
	(void)snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, req, ifr) < 0)
		rc = err_set(err, errno, "ioctl on %s: %s", name, strerror(errno));
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
	int fd, rc;

	if (strlen(name) >= IFNAMSIZ)
		return err_set(err, EINVAL, "TUN name '%s' is longer than %d characters", name,
		    IFNAMSIZ - 1);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, "cannot open /dev/net/tun: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	(void)snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = err_set(err, errno, "cannot create TUN device '%s': %s", name, strerror(errno));
		goto fail;
	}
	/* A new device would send router solicitations and take a link-local address. */
	rc = io_tun_sysctl(name, "addr_gen_mode", "1", err);
	if (rc == 0)
		rc = io_tun_sysctl(name, "accept_ra", "0", err);
	if (rc == 0)
		rc = io_tun_sysctl(name, "router_solicitations", "0", err);
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
