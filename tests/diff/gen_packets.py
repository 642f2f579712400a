#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Random frames for the differential test, seeded: the same seed writes the same frames.

    gen_packets.py RULES.json SEED COUNT FRAMES META

RULES.json is `xpf check -j`: addresses are drawn around the edges of its prefixes (first and
last address inside, the neighbours just outside), ports around the edges of its port ranges.
Frames: 0-3 VLAN tags, IPv4 with options, IPv6 with extension header chains, TCP/UDP/ICMP/other
protocols, fragments (a datagram's first fragment before its later ones, sometimes missing),
truncations, Ethernet padding, lying length fields. Every frame carries its index in the
source MAC (02:5d:INDEX), which is how the nft side reports it.

FRAMES: per frame a 4-byte little-endian length and the frame (tests/diff/xpf_classify.c).
META: per frame one line "INDEX<TAB>PROPERTIES<TAB>DATAGRAM<TAB>DESCRIPTION"; PROPERTIES is a
comma-separated list the comparison uses to explain documented differences (see compare.py).

Frames are built with struct, not scapy: scapy takes ~0.9 ms a frame here, 100,000 frames
would take 90 s alone.
"""
import ipaddress
import json
import random
import struct
import sys

ETH_IP, ETH_IP6, ETH_ARP, ETH_LLDP = 0x0800, 0x86DD, 0x0806, 0x88CC
TPID_Q, TPID_AD = 0x8100, 0x88A8
TCP, UDP, ICMP, ICMP6 = 6, 17, 1, 58
HOP, ROUTING, FRAG, DSTOPTS, AH, NO_NEXT = 0, 43, 44, 60, 51, 59
OTHER_PROTOCOLS = [47, 50, 132, 41, 89, 2]
DEST_MAC = bytes.fromhex("020000000001")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class Generator:
    def __init__(self, rules, rng):
        self.rng = rng
        self.v4, self.v6 = [], []          # (prefix, weight) pools of interesting addresses
        self.local4 = [ipaddress.ip_address(l["address"]) for l in rules["locals"]
                       if ":" not in l["address"]]
        self.local6 = [ipaddress.ip_address(l["address"]) for l in rules["locals"]
                       if ":" in l["address"]]
        prefixes = set()
        ports = set()
        for rule in rules["rules"]:
            prefixes.update(rule["sources"])
            prefixes.update(rule["destinations"])
            for p in (rule["port"], rule["port_last"]):
                ports.update(q for q in (p - 1, p, p + 1) if 0 <= q <= 65535)
        prefixes.update(l["address"] for l in rules["locals"])
        for text in sorted(prefixes):
            net = ipaddress.ip_network(text, strict=False)
            first, last = int(net.network_address), int(net.broadcast_address)
            top = (1 << net.max_prefixlen) - 1
            edges = {first, last, max(first - 1, 0), min(last + 1, top)}
            if net.num_addresses > 2:
                edges.add(first + 1)
                edges.add(last - 1)
            pool = self.v4 if net.version == 4 else self.v6
            address = ipaddress.IPv4Address if net.version == 4 else ipaddress.IPv6Address
            for e in sorted(edges):
                pool.append(address(e))
        self.edge_ports = sorted(ports)
        self.ingress = [r for r in rules["rules"] if r["direction"] == "ingress"]
        self.aim = None     # (source, destination, port, protocol) of a rule being aimed at
        self.datagram_id = 0

    # ---- addresses and ports ----------------------------------------------------------------
    def address(self, family, role):
        rng = self.rng
        local = self.local4 if family == 4 else self.local6
        pool = self.v4 if family == 4 else self.v6
        roll = rng.random()
        if role == "dst" and roll < 0.6 and local:
            return rng.choice(local)
        if roll < 0.85 and pool:
            return rng.choice(pool)
        if roll < 0.9:
            return ipaddress.ip_address("224.0.0.1" if family == 4 else "ff02::1")
        if family == 4:
            return ipaddress.ip_address(rng.getrandbits(32))
        return ipaddress.ip_address((0x20010DB8 << 96) | rng.getrandbits(96))

    def aim_at_rule(self, family):
        """A source at the edge of (inside or just outside) one of a rule's source prefixes,
        one of its destinations, a port at the edge of its range, one of its transports."""
        rng = self.rng
        rules = [r for r in self.ingress
                 if any((":" in d) == (family == 6) for d in r["destinations"]) and
                 any((":" in s) == (family == 6) for s in r["sources"])]
        if not rules:
            return None
        rule = rng.choice(rules)
        source = ipaddress.ip_network(rng.choice(
            [s for s in rule["sources"] if (":" in s) == (family == 6)]), strict=False)
        first, last = int(source.network_address), int(source.broadcast_address)
        top = (1 << source.max_prefixlen) - 1
        pick = rng.choice([first, last, max(first - 1, 0), min(last + 1, top),
                           rng.randint(first, last)])
        address = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
        dest = ipaddress.ip_network(rng.choice(
            [d for d in rule["destinations"] if (":" in d) == (family == 6)]), strict=False)
        port = rng.choice([rule["port"] - 1, rule["port"], rule["port_last"],
                           rule["port_last"] + 1, rng.randint(rule["port"], rule["port_last"])])
        protocol = {"tcp": TCP, "udp": UDP}.get(rule["proto"]) or rng.choice([TCP, UDP])
        return address(pick), dest.network_address, max(0, min(port, 65535)), protocol

    def port(self, destination=False):
        rng = self.rng
        if destination and self.aim:
            return self.aim[2]
        roll = rng.random()
        if roll < 0.6 and self.edge_ports:
            return rng.choice(self.edge_ports)
        if roll < 0.8:
            return rng.randrange(49152, 65536)
        return rng.randrange(0, 65536)

    # ---- upper layer --------------------------------------------------------------------------
    def l4(self, family, protocol, props):
        """The upper-layer header and payload of a whole datagram."""
        rng = self.rng
        payload = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 0, 4, 16, 40])))
        if protocol == TCP:
            words = rng.choice([5] * 8 + [6, 8])
            if rng.random() < 0.02:
                words = rng.randrange(0, 5)
                props.append("tcp-doff-short")
            options = b"\x01" * (max(words, 5) * 4 - 20)
            flags = rng.choice([0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x00])
            header = struct.pack("!HHIIBBHHH", self.port(), self.port(True), rng.getrandbits(32),
                                 rng.getrandbits(32), words << 4, flags, 65535, 0, 0)
            return header + options + payload
        if protocol == UDP:
            length = 8 + len(payload)
            roll = rng.random()
            if roll < 0.02:
                length = rng.randrange(0, 8)
                props.append("udp-length-short")
            elif roll < 0.04:
                length += rng.randrange(1, 64)
                props.append("udp-length-past-ip")
            return struct.pack("!HHHH", self.port(), self.port(True), length, 0) + payload
        if protocol in (ICMP, ICMP6):
            if family == 4:
                icmp_type, code = rng.choice([(8, 0), (0, 0), (3, 4), (3, 4), (3, 3), (11, 0),
                                              (3, 1)])
            else:
                icmp_type, code = rng.choice([(128, 0), (129, 0), (2, 0), (1, 4), (3, 0),
                                              (133, 0), (134, 0), (135, 0), (136, 0),
                                              (137, 0), (138, 0), (143, 0)])
            return struct.pack("!BBHI", icmp_type, code, 0, rng.getrandbits(32)) + payload
        return payload + bytes(8)

    # ---- IP ----------------------------------------------------------------------------------
    def ipv4_header(self, src, dst, protocol, body_len, options, ident, frag_field):
        ihl = 5 + len(options) // 4
        header = struct.pack("!BBHHHBBH4s4s", 4 << 4 | ihl, 0, ihl * 4 + body_len, ident,
                             frag_field, 64, protocol, 0, src.packed, dst.packed) + options
        return header[:10] + struct.pack("!H", checksum(header)) + header[12:]

    def ipv6_ext_chain(self, count, props):
        """(list of (type, bytes-without-next-header-byte)) of @count extension headers."""
        rng = self.rng
        chain = []
        for _ in range(count):
            kind = rng.choices([HOP, ROUTING, DSTOPTS, AH], weights=[30, 30, 32, 8])[0]
            if kind == AH:
                body = struct.pack("!BHII", 2, 0, 1, 1) + bytes(4)  # len 2: 16 bytes
            else:
                units = rng.choice([0, 0, 1])
                if kind == ROUTING:
                    body = struct.pack("!BBB", units, 0, 0) + bytes(4 + units * 8)
                else:
                    pad = 6 + units * 8
                    body = struct.pack("!BBB", units, 1, pad - 2) + bytes(pad - 2)
            chain.append((kind, body))
        return chain

    @staticmethod
    def ipv6_serialize(chain, last_next):
        out = b""
        for i, (kind, body) in enumerate(chain):
            nxt = chain[i + 1][0] if i + 1 < len(chain) else last_next
            out += bytes([nxt]) + body
        return out

    def ipv6_header(self, src, dst, first_next, payload_len, hop_limit):
        return struct.pack("!IHBB16s16s", 6 << 28, payload_len, first_next, hop_limit,
                           src.packed, dst.packed)

    # ---- frames -------------------------------------------------------------------------------
    def ethernet(self, index, ether_type, tags):
        src = b"\x02\x5d" + struct.pack("!I", index)
        out = DEST_MAC + src
        ids = {1: [10], 2: [100, 200], 3: [100, 200, 300]}.get(tags, [])
        for n, vid in enumerate(ids):
            tpid = TPID_AD if (n == 0 and tags >= 2 and self.rng.random() < 0.5) else TPID_Q
            out += struct.pack("!HH", tpid, vid)
        return out + struct.pack("!H", ether_type)

    def datagrams(self, index):
        """Yields (properties, datagram key or "", description, frame) for one draw: one
        frame, or every fragment of one datagram."""
        rng = self.rng
        props = []
        tags = rng.choices([0, 1, 2, 3], weights=[70, 14, 13, 3])[0]
        self.tags = tags
        if tags == 3:
            props.append("vlan3")
        if rng.random() < 0.02:
            ether_type = rng.choice([ETH_ARP, ETH_LLDP, 0x0042])
            yield props + ["non-ip"], "", "non-IP 0x%04x" % ether_type, \
                self.ethernet(index, ether_type, tags) + bytes(28)
            return
        family = 4 if rng.random() < 0.55 else 6
        src, dst = self.address(family, "src"), self.address(family, "dst")
        self.aim = self.aim_at_rule(family) if rng.random() < 0.4 else None
        roll = rng.random()
        if self.aim:
            src, dst, protocol = self.aim[0], self.aim[1], self.aim[3]
        elif roll < 0.45:
            protocol = TCP
        elif roll < 0.78:
            protocol = UDP
        elif roll < 0.9:
            protocol = ICMP if family == 4 else ICMP6
        else:
            protocol = rng.choice(OTHER_PROTOCOLS + [ICMP6 if family == 4 else ICMP] +
                                  ([NO_NEXT] if family == 6 else []))
        props.append("proto-%d" % protocol)
        body = self.l4(family, protocol, props)
        if protocol in (ICMP, ICMP6) and rng.random() < 0.03:
            body = body[:rng.randrange(0, 2)]
            props.append("icmp-short")
        if protocol == TCP and rng.random() < 0.02:
            body = body[:rng.randrange(0, 20)]
            props.append("tcp-short")
        if protocol == UDP and rng.random() < 0.01 and "udp-length-past-ip" not in props:
            body = body[:rng.randrange(0, 8)]
            props.append("udp-short")
        desc = "%s %s > %s proto %d" % ("IPv4" if family == 4 else "IPv6", src, dst, protocol)
        if protocol in (TCP, UDP) and len(body) >= 4:
            desc += " ports %d > %d" % struct.unpack("!HH", body[:4])
        desc += " tags %d" % tags
        fragment = rng.random() < 0.1 and len(body) >= 16 and "udp-length-past-ip" not in props
        if family == 4:
            yield from self.ipv4_frames(index, tags, src, dst, protocol, body, props, desc,
                                        fragment)
        else:
            yield from self.ipv6_frames(index, tags, src, dst, protocol, body, props, desc,
                                        fragment)

    def finish(self, frame, props):
        """Truncation or padding, sometimes."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.04 and len(frame) > 15:
            props.append("cut")
            length = rng.randrange(14, len(frame))
            # skb_vlan_untag needs the tag and the two bytes after it
            if self.tags and length < 14 + 4 + 2:
                props.append("cut-in-vlan")
            return frame[:length]
        if roll < 0.07 and not any(p.endswith("short") for p in props):
            props.append("padded")
            return frame + bytes(rng.randrange(1, 30))
        return frame

    def ipv4_frames(self, index, tags, src, dst, protocol, body, props, desc, fragment):
        rng = self.rng
        options = b""
        if rng.random() < 0.2:
            options = b"\x01" * (4 * rng.randrange(1, 11))
            props.append("ipv4-options")
        if rng.random() < 0.01:
            frame = self.ethernet(index, ETH_IP, tags) + \
                self.ipv4_header(src, dst, protocol, len(body), options, 1, 0)
            frame = bytearray(frame + body)
            l3 = len(frame) - len(body) - 20 - len(options)
            lie = rng.choice(["ihl", "total", "version"])
            if lie == "ihl":
                frame[l3] = 0x40 | rng.randrange(0, 5)
            elif lie == "total":
                frame[l3 + 2:l3 + 4] = struct.pack("!H", rng.randrange(0, 20 + len(options)))
            else:
                frame[l3] = 0x65
            yield props + ["ipv4-" + lie + "-bad"], "", desc + " bad " + lie, bytes(frame)
            return
        if not fragment:
            frame = self.ethernet(index, ETH_IP, tags) + \
                self.ipv4_header(src, dst, protocol, len(body), options, rng.getrandbits(16), 0)
            frame += body
            frame = self.finish(frame, props)
            yield props, "", desc, frame
            return
        self.datagram_id += 1
        ident = self.datagram_id & 0xFFFF
        key = "d%d" % self.datagram_id
        for offset, piece, more, fprops in self.fragments(body, protocol):
            fprops = fprops + ["off-%d" % offset]
            frame = self.ethernet(index, ETH_IP, tags) + self.ipv4_header(
                src, dst, protocol, len(piece), options, ident,
                (0x2000 if more else 0) | offset // 8) + piece
            frame = self.finish(frame, fprops)
            yield props + fprops, key, desc + " fragment @%d%s" % (offset, " M" if more else ""), \
                frame

    def fragments(self, body, protocol):
        """(offset, piece, more, props) of one datagram's fragments, first to last; sometimes
        without its first fragment, sometimes with a TCP piece at offset 8 (RFC 3128)."""
        rng = self.rng
        whole = body
        first_len = rng.choice([8, 16, 24, 32, 40]) if rng.random() < 0.3 else \
            max(8, (len(whole) // 2) // 8 * 8)
        first_len = min(first_len, max(8, (len(whole) - 1) // 8 * 8))
        pieces = [(0, whole[:first_len], True, ["frag-first"])]
        rest = first_len
        while rest < len(whole):
            size = max(8, rng.choice([8, 16, 24, 64]))
            piece = whole[rest:rest + size]
            more = rest + size < len(whole)
            pieces.append((rest, piece, more, ["frag-later"]))
            rest += len(piece)
        if rng.random() < 0.1:
            pieces = pieces[1:]
        if protocol == TCP and rng.random() < 0.1 and len(whole) > 16:
            pieces.append((8, whole[8:16], True, ["frag-later"]))
        if rng.random() < 0.1 and len(pieces) > 1:
            pieces.append(pieces[-1])  # a duplicate, as retransmissions make them
        return pieces

    def ipv6_frames(self, index, tags, src, dst, protocol, body, props, desc, fragment):
        rng = self.rng
        count = rng.choices([0, 1, 2, 3, 5, 8, 9, 10], weights=[58, 15, 10, 6, 4, 4, 2, 1])[0]
        chain = self.ipv6_ext_chain(count, props)
        if count:
            props.append("ext-%d" % count)
        if any(kind == AH for kind, _ in chain):
            props.append("ah")
        hop_limit = 255 if rng.random() < 0.5 else 64
        if not fragment:
            props.append("chain-%d" % count)
            headers = self.ipv6_serialize(chain, protocol)
            if chain and rng.random() < 0.02:
                # the last header's length runs past the packet
                headers = bytearray(headers)
                last = len(headers) - (len(chain[-1][1]) + 1)
                if chain[-1][0] == AH:
                    headers[last + 1] = 200
                else:
                    headers[last + 1] = 100
                headers = bytes(headers)
                props.append("ext-overrun")
            payload = headers + body
            frame = self.ethernet(index, ETH_IP6, tags) + \
                self.ipv6_header(src, dst, chain[0][0] if chain else protocol, len(payload),
                                 hop_limit) + payload
            frame = self.finish(frame, props)
            yield props, "", desc + " ext %d" % count, frame
            return
        self.datagram_id += 1
        key = "d%d" % self.datagram_id
        ident = self.datagram_id
        headers = self.ipv6_serialize(chain, FRAG)
        props.append("chain-%d" % (count + 1))  # the fragment header is one of the chain
        for offset, piece, more, fprops in self.fragments(body, protocol):
            fprops = fprops + ["off-%d" % offset]
            frag = struct.pack("!BBHI", protocol, 0, offset | (1 if more else 0), ident)
            payload = headers + frag + piece
            frame = self.ethernet(index, ETH_IP6, tags) + self.ipv6_header(
                src, dst, chain[0][0] if chain else FRAG, len(payload), hop_limit) + payload
            frame = self.finish(frame, fprops)
            yield props + fprops, key, desc + " ext %d fragment @%d%s" % (
                count, offset, " M" if more else ""), frame
        return


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: gen_packets.py RULES.json SEED COUNT FRAMES META")
    with open(sys.argv[1]) as f:
        rules = json.load(f)
    seed, count = int(sys.argv[2]), int(sys.argv[3])
    gen = Generator(rules, random.Random(seed))
    index = 0
    with open(sys.argv[4], "wb") as frames, open(sys.argv[5], "w") as meta:
        while index < count:
            for props, key, desc, frame in gen.datagrams(index):
                if index >= count:
                    break
                frame = frame[:6] + b"\x02\x5d" + struct.pack("!I", index) + frame[12:]
                frames.write(struct.pack("<I", len(frame)) + frame)
                meta.write("%d\t%s\t%s\t%s\n" % (index, ",".join(props) or "-", key or "-",
                                                   desc))
                index += 1


if __name__ == "__main__":
    main()
