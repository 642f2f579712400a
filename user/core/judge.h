/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One TCP/UDP packet judged against a rule set in user space, as the XDP program would judge it
 * on arrival (xpf.site(5), VERDICTS): not a local destination → `policy other`; else the
 * ingress rules for its destination, transport and port, the longest source prefix winning
 * and the earlier row on a tie; none → `policy default`. Flows the host opened are not known
 * here: what it judges is a packet no flow answers. For the lockout guard, before anything is
 * loaded. User space only, pure.
 */
#ifndef XPF_JUDGE_H
#define XPF_JUDGE_H

#include <stdint.h>

#include "core/config.h"

enum xpf_judged_by {
	XPF_JUDGED_BY_RULE,
	XPF_JUDGED_BY_DEFAULT,		/* local, no rule: `policy default` */
	XPF_JUDGED_BY_OTHER,		/* not local: `policy other` */
};

struct xpf_judgement {
	enum xpf_judged_by by;
	size_t rule;			/* XPF_JUDGED_BY_RULE: its index in the rule set */
	uint8_t action;			/* XPF_ACTION_PASS or XPF_ACTION_DROP */
};

/* @protocol is XPF_PROTO_TCP or XPF_PROTO_UDP; @source and @destination are hosts. */
void xpf_ruleset_judge(const struct xpf_ruleset *ruleset, uint8_t protocol,
		       const struct xpf_prefix *source, const struct xpf_prefix *destination,
		       uint16_t dest_port, struct xpf_judgement *out);

#endif /* XPF_JUDGE_H */
