// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf exporter --listen ADDR:PORT [IFACE]: serves /metrics (xpf_prometheus_write) over HTTP
 * with libmicrohttpd, reading the kernel maps anew for every scrape, so it holds no state
 * and a reload or an unload shows at the next scrape. Everything else is 404. SIGTERM or
 * SIGINT stops it cleanly (exit 0).
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/snapshot_read.h"
#include "kernel/filter.h"
#include "lib/logging.h"
#include "cli/prometheus.h"

static const struct xpf_option exporter_options[] = {
	{ 'l', "listen", "ADDR:PORT", "where to serve /metrics: ADDR IPv4, [IPv6], or *", NULL,
	  XPF_OPTION_REQUIRED },
	{},
};

const struct xpf_verb xpf_verb_exporter = {
	"exporter", cmd_exporter, "[IFACE]", 0, 1, true,
	"serve the counters to Prometheus over HTTP (/metrics)", exporter_options, false,
};

/* "192.0.2.1:9469", "[2001:db8::1]:9469", "*:9469" or ":9469". */
static int parse_listen(const char *text, struct sockaddr_storage *addr)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in *in4 = (struct sockaddr_in *)addr;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(text, ':');
	unsigned long port;
	char *end;
	size_t len;

	if (!colon || colon - text >= (long)sizeof(host))
		return -EINVAL;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end || port == 0 || port > 65535)
		return -EINVAL;
	len = colon - text;
	memcpy(host, text, len);
	host[len] = '\0';
	memset(addr, 0, sizeof(*addr));
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host[len - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1 ? 0 : -EINVAL;
	}
	if (len == 0 || !strcmp(host, "*")) {
		in6->sin6_family = AF_INET6;	/* the daemon accepts IPv4 too (dual stack) */
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_any;
		return 0;
	}
	in4->sin_family = AF_INET;
	in4->sin_port = htons(port);
	return inet_pton(AF_INET, host, &in4->sin_addr) == 1 ? 0 : -EINVAL;
}

struct exporter {
	const char *ifname;	/* NULL: every interface xpf is loaded on at scrape time */
};

/* libmicrohttpd, opened by the exporter alone: linked into xpf, it and GnuTLS under it would be
 * mapped and initialised by every command (2.8 MiB of the resident memory of a load). */
static struct {
	typeof(MHD_start_daemon) *start_daemon;
	typeof(MHD_stop_daemon) *stop_daemon;
	typeof(MHD_create_response_from_buffer) *create_response_from_buffer;
	typeof(MHD_add_response_header) *add_response_header;
	typeof(MHD_queue_response) *queue_response;
	typeof(MHD_destroy_response) *destroy_response;
} mhd;

#define LIBMICROHTTPD "libmicrohttpd.so.12"

static int open_libmicrohttpd(void)
{
	void *lib = dlopen(LIBMICROHTTPD, RTLD_NOW | RTLD_LOCAL);

	if (lib) {
		*(void **)&mhd.start_daemon = dlsym(lib, "MHD_start_daemon");
		*(void **)&mhd.stop_daemon = dlsym(lib, "MHD_stop_daemon");
		*(void **)&mhd.create_response_from_buffer =
			dlsym(lib, "MHD_create_response_from_buffer");
		*(void **)&mhd.add_response_header = dlsym(lib, "MHD_add_response_header");
		*(void **)&mhd.queue_response = dlsym(lib, "MHD_queue_response");
		*(void **)&mhd.destroy_response = dlsym(lib, "MHD_destroy_response");
	}
	if (lib && mhd.start_daemon && mhd.stop_daemon && mhd.create_response_from_buffer &&
	    mhd.add_response_header && mhd.queue_response && mhd.destroy_response)
		return 0;
	fprintf(stderr, "xpf: exporter: cannot use %s: %s\n", LIBMICROHTTPD,
		lib ? "a function is missing" : dlerror());
	return -ENOENT;
}

static enum MHD_Result respond(struct MHD_Connection *connection, unsigned int status,
			       const char *type, char *body, size_t size)
{
	struct MHD_Response *response;
	enum MHD_Result result;

	response = mhd.create_response_from_buffer(size, body, MHD_RESPMEM_MUST_FREE);
	if (!response) {
		free(body);
		return MHD_NO;
	}
	mhd.add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	result = mhd.queue_response(connection, status, response);
	mhd.destroy_response(response);
	return result;
}

static enum MHD_Result respond_text(struct MHD_Connection *connection, unsigned int status,
				    const char *text)
{
	char *body = strdup(text);

	return body ? respond(connection, status, "text/plain; charset=utf-8", body, strlen(body))
		    : MHD_NO;
}

/* A scrape: every interface read now. An interface that cannot be read is left out (and said
 * on stderr); with none loaded the families come out empty, which is what Prometheus expects
 * of a target whose filter is gone. */
static enum MHD_Result serve_metrics(const struct exporter *exporter,
				     struct MHD_Connection *connection)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	struct xpf_snapshot snapshot = {};
	char *body = NULL;
	size_t size = 0;
	FILE *out;
	int count;

	count = exporter->ifname ? xpf_snapshot_names(exporter->ifname, names, 1) :
				   xpf_filter_list(names, XPF_MAX_INTERFACES);
	if (count < 0)
		count = 0;
	if (xpf_snapshot_read(names, count, "exporter", &snapshot))
		return respond_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	out = open_memstream(&body, &size);
	if (!out) {
		xpf_snapshot_free(&snapshot);
		return respond_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	if (xpf_prometheus_write(out, &snapshot)) {
		fclose(out);
		free(body);
		xpf_snapshot_free(&snapshot);
		return respond_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	fprintf(out, "# HELP xpf_scrape_error 1 when an interface asked for could not be read.\n"
		     "# TYPE xpf_scrape_error gauge\nxpf_scrape_error %d\n",
		snapshot.failed || (exporter->ifname && snapshot.count == 0));
	fclose(out);
	xpf_snapshot_free(&snapshot);
	return respond(connection, MHD_HTTP_OK, XPF_PROMETHEUS_CONTENT_TYPE, body, size);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **request)
{
	(void)version;
	(void)upload_data;
	/* The first call only announces the request (its headers); answer on the second. */
	if (!*request) {
		*request = connection;
		return MHD_YES;
	}
	if (*upload_data_size)
		return MHD_NO;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return respond_text(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "GET /metrics\n");
	if (strcmp(url, "/metrics"))
		return respond_text(connection, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
	return serve_metrics(cls, connection);
}

/* The daemon serving @exporter on @addr (@listen as given), or NULL, said on stderr. */
static struct MHD_Daemon *start_serving(struct exporter *exporter, struct sockaddr_storage *addr,
					const char *listen)
{
	struct MHD_Daemon *daemon;
	unsigned int flags;

	/* One internal thread answers every request in turn: scrapes never read the maps
	 * concurrently, and a slow client cannot hold more than its connection. */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (addr->ss_family == AF_INET6)
		flags |= MHD_USE_DUAL_STACK;
	daemon = mhd.start_daemon(flags, 0, NULL, NULL, handle, exporter,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)addr,
				  MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				  MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
	if (!daemon)
		fprintf(stderr, "xpf: exporter: cannot listen on %s: %s\n", listen,
			strerror(errno ?: EADDRINUSE));
	return daemon;
}

/* Until SIGTERM or SIGINT, which @stop holds blocked. */
static void wait_for_stop(const sigset_t *stop)
{
	int sig;

	do {
		if (sigwait(stop, &sig))
			sig = 0;
	} while (sig != SIGTERM && sig != SIGINT);
}

int cmd_exporter(int argc, char **argv)
{
	struct exporter exporter = {};
	struct xpf_args args;
	struct sockaddr_storage addr;
	const char *listen = NULL;
	struct MHD_Daemon *daemon;
	sigset_t stop;
	int opt;

	xpf_args_start(&args, &xpf_verb_exporter);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0)
		listen = optarg;
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (parse_listen(listen, &addr)) {
		fprintf(stderr, "xpf: --listen %s: not ADDR:PORT (192.0.2.1:9469, [::1]:9469, "
				"*:9469)\n", listen);
		return 2;
	}
	exporter.ifname = optind == argc - 1 ? argv[optind] : NULL;
	if (xpf_check_privileges() || open_libmicrohttpd())
		return 1;
	/* Blocked before the daemon's thread starts, so that thread inherits the mask and the
	 * signals wait for sigwait() here. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	daemon = start_serving(&exporter, &addr, listen);
	if (!daemon)
		return 1;
	pr_info("exporter: serving http://%s/metrics\n", listen);
	wait_for_stop(&stop);
	mhd.stop_daemon(daemon);
	return 0;
}
