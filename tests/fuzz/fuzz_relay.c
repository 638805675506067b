// SPDX-License-Identifier: MIT
/* libFuzzer harness for what a relay reads (cli/relay.h, cli/hosts.h): the first byte chooses
 * the parser, the rest is its input. relay_parse(): a header it accepts names a vihost that is a
 * valid host name and a request inside the input. hosts_parse(): every entry's fields are
 * valid and unique, as --server, --portnumber and --username would be. A broken promise aborts;
 * everything is freed, so leaks are found. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hosts.h"
#include "relay.h"
#include "remote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_relay_parse(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct relay_input in;
	struct err e = { { 0 } };

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (relay_parse(text, size, &in, &e) == 0) {
		if (in.request < text || in.request + in.request_len != text + size)
			abort();
		if (in.vihost[0] != '\0' && !remote_host_is_valid(in.vihost))
			abort();
	} else if (e.msg[0] == '\0') {
		abort(); /* a refusal says why */
	}
	free(text);
}

static void
fuzz_hosts_parse(const uint8_t *data, size_t size)
{
	struct hosts h = { .path = "fuzz" };
	struct err e = { { 0 } };

	h.text = malloc(size + 1);
	if (h.text == NULL)
		abort();
	memcpy(h.text, data, size);
	h.text[size] = '\0';
	if (hosts_parse(&h, &e) == 0) {
		for (size_t i = 0; i < h.n; i++) {
			const struct hosts_entry *x = &h.v[i];

			if (!remote_host_is_valid(x->name) || !remote_host_is_valid(x->host) ||
			    (x->port != NULL && !remote_port_is_valid(x->port)) ||
			    (x->user != NULL && !remote_user_is_valid(x->user)) ||
			    hosts_lookup(&h, x->name) != x)
				abort();
		}
	} else if (e.msg[0] == '\0') {
		abort();
	}
	hosts_fini(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_hosts_parse(data + 1, size - 1);
	else
		fuzz_relay_parse(data + 1, size - 1);
	return 0;
}
