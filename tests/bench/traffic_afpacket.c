/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * AF_PACKET frames: sendmmsg() of @batch copies of one frame on a raw packet socket bound to the
 * interface, with PACKET_QDISC_BYPASS, so that each frame goes straight to the driver's
 * ndo_start_xmit. On a veth that is veth_xmit(), which hands the skb to the peer's receive
 * queue of the same number as the transmit queue; the socket picks the transmit queue from the
 * sending CPU (CPU modulo the queue count: veth has no ndo_select_queue), so a sender pinned to
 * a CPU fills one queue. A frame the peer cannot take (its ring full, the peer down) fails
 * with ENOBUFS, which ends the sendmmsg() call at that frame; the veth counts it in its
 * tx_dropped.
 */
#define _GNU_SOURCE /* sendmmsg() */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "traffic_source.h"

static int open_socket(int ifindex)
{
	struct sockaddr_ll address = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
	};
	int one = 1;
	/* Protocol 0: the socket receives nothing, it only sends. */
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0) {
		perror("AF_PACKET socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one))) {
		perror("AF_PACKET socket setup");
		close(fd);
		return -1;
	}
	return fd;
}

int traffic_afpacket(const uint8_t *frame, size_t len, int ifindex, unsigned int batch,
		     double seconds, struct traffic_count *count)
{
	struct iovec iov = { .iov_base = (void *)frame, .iov_len = len };
	unsigned long long start;
	struct mmsghdr *messages;
	int fd, err = 0;

	messages = calloc(batch, sizeof(*messages));
	if (!messages)
		return -ENOMEM;
	for (unsigned int i = 0; i < batch; i++) {
		messages[i].msg_hdr.msg_iov = &iov;
		messages[i].msg_hdr.msg_iovlen = 1;
	}
	fd = open_socket(ifindex);
	if (fd < 0) {
		err = -errno;
		goto out;
	}

	start = traffic_now_ns();
	do {
		int sent = sendmmsg(fd, messages, batch, 0);

		if (sent < 0) {
			if (errno != ENOBUFS) {
				err = -errno;
				perror("sendmmsg");
				break;
			}
			count->frames++;
			count->refused++;
		} else {
			count->frames += sent;
			/* Short only at a frame the driver refused (sendmmsg() keeps its error). */
			if ((unsigned int)sent < batch) {
				count->frames++;
				count->refused++;
			}
		}
		count->seconds = traffic_elapsed(start);
	} while (count->seconds < seconds);
	close(fd);
out:
	free(messages);
	return err;
}
