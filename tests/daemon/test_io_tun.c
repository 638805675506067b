// SPDX-License-Identifier: MIT
/* The TUN writer (dataplane/io_tun.c) against a socket pair that keeps write boundaries: segments
 * of one flow leave as one super-packet with its virtio-net header, PSH sends a run at once,
 * other packets go alone and in order, a run never holds more than IO_TUN_RUN_MAX segments,
 * and an open run waits for io_tun_writer_flush(). */
#include <sys/socket.h>

#include <netinet/in.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gso.h"
#include "io_tun.h"
#include "ipsec6/bytes.h"

#define T_HDR    60u /* IPv6 + TCP without options */
#define T_SEGS   80
#define T_BUF    (T_HDR + 1000)
#define T_PAYLEN 100u

struct fixture {
	int fd[2];
	uint8_t bufs[T_SEGS][T_BUF];
	struct pkt pkts[T_SEGS];
	uint8_t got[70000];
	struct io_tun_writer w;
};

static struct fixture fx;

static int
setup(void **state)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fx.fd), 0);
	io_tun_writer_init(&fx.w, fx.fd[0]);
	return 0;
}

static int
teardown(void **state)
{
	close(fx.fd[0]);
	close(fx.fd[1]);
	return 0;
}

/* Segment i of a flow: payload bytes, seq following segment i - 1, checksum right. */
static struct pkt *
seg(size_t i, uint32_t payload, uint8_t flags)
{
	uint8_t *p = fx.bufs[i] + 16;
	uint8_t pseudo[40] = { 0 };
	uint16_t c;

	memset(p, 0, T_HDR);
	p[0] = 0x60;
	store_be16(p + 4, (uint16_t)(20 + payload));
	p[6] = IPPROTO_TCP;
	p[7] = 64;
	p[23] = 1;
	p[39] = 2;
	store_be16(p + 40, 1000);
	store_be16(p + 42, 2000);
	store_be32(p + 44, (uint32_t)(i * T_PAYLEN));
	store_be32(p + 48, 77);
	p[52] = 5 << 4;
	p[53] = flags;
	store_be16(p + 54, 1024);
	for (uint32_t k = 0; k < payload; k++)
		p[T_HDR + k] = (uint8_t)(i + k);
	memcpy(pseudo, p + 8, 32);
	store_be32(pseudo + 32, 20 + payload);
	pseudo[39] = IPPROTO_TCP;
	c = gso_csum_fold(gso_csum_add(gso_csum_add(0, pseudo, 40), p + 40, 20 + payload));
	memcpy(p + 56, &c, 2);
	fx.pkts[i] = (struct pkt){ fx.bufs[i], T_BUF, 16, T_HDR + payload };
	return &fx.pkts[i];
}

/* The next write: its virtio-net header in vh; returns the packet's length (0: none). */
static size_t
next_write(struct virtio_net_hdr *vh)
{
	ssize_t r = recv(fx.fd[1], fx.got, sizeof(fx.got), MSG_DONTWAIT);

	if (r <= 0)
		return 0;
	assert_true((size_t)r >= sizeof(*vh));
	memcpy(vh, fx.got, sizeof(*vh));
	return (size_t)r - sizeof(*vh);
}

static void
test_one_flow_one_write(void **state)
{
	struct virtio_net_hdr vh;
	size_t len;

	for (size_t i = 0; i < 10; i++)
		io_tun_writer_add(&fx.w, seg(i, T_PAYLEN, i == 9 ? 0x18 : 0x10), 0);
	len = next_write(&vh); /* PSH on the last: written without a flush */
	assert_int_equal(len, T_HDR + 10 * T_PAYLEN);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
	assert_int_equal(vh.gso_size, T_PAYLEN);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(load_be16(fx.got + sizeof(vh) + 4), 20 + 10 * T_PAYLEN);
	assert_int_equal(fx.got[sizeof(vh) + 53], 0x18);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(fx.got[sizeof(vh) + T_HDR + i * T_PAYLEN], (uint8_t)i);
	assert_int_equal(next_write(&vh), 0);
	assert_int_equal(fx.w.count, 0);
}

static void
test_other_packets_keep_order(void **state)
{
	struct virtio_net_hdr vh;
	struct pkt *udp;

	for (size_t i = 0; i < 3; i++)
		io_tun_writer_add(&fx.w, seg(i, T_PAYLEN, 0x10), 0);
	udp = seg(3, T_PAYLEN, 0x10);
	pkt_data(udp)[6] = IPPROTO_UDP;
	io_tun_writer_add(&fx.w, udp, 0);
	for (size_t i = 4; i < 6; i++)
		io_tun_writer_add(&fx.w, seg(i, T_PAYLEN, 0x10), 0);
	assert_int_equal(next_write(&vh), T_HDR + 3 * T_PAYLEN);
	assert_int_equal(next_write(&vh), T_HDR + T_PAYLEN); /* alone */
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(fx.got[sizeof(vh) + 6], IPPROTO_UDP);
	assert_int_equal(next_write(&vh), 0); /* segments 4 and 5 wait for more */
	assert_int_equal(fx.w.count, 2);
	io_tun_writer_flush(&fx.w);
	/* Segments 4 and 5 do not continue 0-2 (3 is missing): a run of their own. */
	assert_int_equal(next_write(&vh), T_HDR + 2 * T_PAYLEN);
	assert_int_equal(load_be32(fx.got + sizeof(vh) + 44), 4 * T_PAYLEN);
}

static void
test_single_segment_unchanged(void **state)
{
	struct virtio_net_hdr vh;
	struct pkt *p = seg(0, T_PAYLEN, 0x10);
	uint8_t copy[T_HDR + T_PAYLEN];

	memcpy(copy, pkt_data(p), sizeof(copy));
	io_tun_writer_add(&fx.w, p, 0);
	io_tun_writer_flush(&fx.w);
	assert_int_equal(next_write(&vh), sizeof(copy));
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(vh.flags, 0);
	assert_memory_equal(fx.got + sizeof(vh), copy, sizeof(copy));
	io_tun_writer_flush(&fx.w); /* nothing open: writes nothing */
	assert_int_equal(next_write(&vh), 0);
}

static void
test_run_limit_and_short_segment(void **state)
{
	struct virtio_net_hdr vh;

	for (size_t i = 0; i < IO_TUN_RUN_MAX + 3; i++)
		io_tun_writer_add(&fx.w, seg(i, T_PAYLEN, 0x10), 7);
	assert_int_equal(next_write(&vh), T_HDR + IO_TUN_RUN_MAX * T_PAYLEN);
	assert_int_equal(fx.w.count, 3);
	assert_int_equal(fx.w.tag, 7);
	/* A shorter segment ends the run at once. */
	io_tun_writer_add(&fx.w, seg(IO_TUN_RUN_MAX + 3, T_PAYLEN / 2, 0x10), 8);
	assert_int_equal(next_write(&vh), T_HDR + 3 * T_PAYLEN + T_PAYLEN / 2);
	assert_int_equal(vh.gso_size, T_PAYLEN);
	assert_int_equal(fx.w.count, 0);
}

/* A device that refuses writes (down or gone: here a socket shut for writing): every packet
 * of every refused write is counted, a run as many as its segments, and nothing else. */
static void
test_refused_writes_are_counted(void **state)
{
	struct pkt *udp;

	assert_int_equal(fx.w.refused, 0);
	io_tun_writer_add(&fx.w, seg(0, T_PAYLEN, 0x10), 0);
	io_tun_writer_flush(&fx.w);
	assert_int_equal(fx.w.refused, 0);
	assert_int_equal(shutdown(fx.fd[0], SHUT_WR), 0);
	for (size_t i = 1; i < 6; i++)
		io_tun_writer_add(&fx.w, seg(i, T_PAYLEN, 0x10), 0);
	udp = seg(6, T_PAYLEN, 0x10);
	pkt_data(udp)[6] = IPPROTO_UDP;
	io_tun_writer_add(&fx.w, udp, 0); /* writes the run of 5, then itself */
	assert_int_equal(fx.w.refused, 6);
	io_tun_writer_add(&fx.w, seg(7, T_PAYLEN, 0x18), 0); /* PSH: written at once */
	assert_int_equal(fx.w.refused, 7);
	io_tun_writer_flush(&fx.w);
	assert_int_equal(fx.w.refused, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_flow_one_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_packets_keep_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_segment_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_limit_and_short_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_writes_are_counted, setup, teardown),
	};

	/* A write to a shut socket raises SIGPIPE; a TUN device's refusal does not. */
	(void)signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
