/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: published port tables, prose and all (user/core/table.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include <xpf/maps.h>
#include "support.h"

#ifndef XPF_TABLE_DIR
#define XPF_TABLE_DIR "tables"
#endif

#define PUBLISHED XPF_TABLE_DIR "/lync2013-director-dns-hlb.txt"

/* As published: one line of header cells, then the markdown separator. */
#define HEADER "Role/Protocol/TCP or UDP/Port | Source IP address | " \
	       "Destination IP address | Notes |\n" \
	       "---|---|---|---|\n"

static int published_setup(void **state)
{
	struct xpf_table *table = calloc(1, sizeof(*table));
	struct xpf_error err = { { 0 } };
	char *text = read_text(PUBLISHED);

	if (xpf_table_parse(text, PUBLISHED, table, &err)) {
		fprintf(stderr, "%s\n", err.message);
		free(text);
		free(table);
		return -1;
	}
	free(text);
	*state = table;
	return 0;
}

static int published_teardown(void **state)
{
	xpf_table_free(*state);
	free(*state);
	return 0;
}

static void parse_ok(const char *text, struct xpf_table *table)
{
	struct xpf_error err = { { 0 } };

	if (xpf_table_parse(text, "t.txt", table, &err))
		fail_msg("unexpected error: %s", err.message);
}

/* Parses @text expecting an error; checks the message and that nothing survived. */
static void parse_fails(const char *text, const char *message)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table;

	memset(&table, 0xab, sizeof(table));
	assert_int_equal(xpf_table_parse(text, "t.txt", &table, &err), -EINVAL);
	assert_string_equal(err.message, message);
	assert_null(table.rows);
	assert_int_equal(table.count, 0);
}

static void published_table_has_nine_rows(void **state)
{
	const struct xpf_table *table = *state;

	assert_int_equal(table->count, 9);
}

static void published_table_ports_in_order(void **state)
{
	static const uint16_t ports[] = { 8080, 4443, 444, 80, 443, 5061, 50001, 50002, 50003 };
	const struct xpf_table *table = *state;

	for (size_t i = 0; i < 9; i++) {
		assert_int_equal(table->rows[i].port_first, ports[i]);
		assert_int_equal(table->rows[i].port_last, ports[i]);
	}
}

static void published_rows_are_tcp_allows(void **state)
{
	const struct xpf_table *table = *state;

	for (size_t i = 0; i < table->count; i++) {
		assert_int_equal(table->rows[i].protocols, XPF_PROTO_TCP);
		assert_int_equal(table->rows[i].action, XPF_ACTION_PASS);
	}
}

static void published_labels_are_kept_as_written(void **state)
{
	const struct xpf_table *table = *state;

	assert_string_equal(table->rows[0].label, "HTTP/TCP 8080");
	assert_string_equal(table->rows[5].label, "SIP/MTLS/TCP 5061");
	assert_string_equal(table->rows[6].label, "MTLS/TCP/50001");
}

static void row_444_goes_from_director_to_front_end_pool(void **state)
{
	const struct xpf_row *row = &((const struct xpf_table *)*state)->rows[2];

	assert_int_equal(row->port_first, 444);
	assert_string_equal(row->source, "Director");
	assert_string_equal(row->destination, "Front End pool or Front End Server");
}

static void published_row_remembers_file_and_first_line(void **state)
{
	const struct xpf_table *table = *state;

	assert_string_equal(table->rows[0].file, PUBLISHED);
	assert_int_equal(table->rows[0].line, 7);
	assert_int_equal(table->rows[8].line, 39);
}

static void published_notes_are_kept(void **state)
{
	const struct xpf_table *table = *state;

	assert_non_null(strstr(table->rows[3].note, "web services to internal as well"));
}

static void freed_notes_leave_the_rows_whole(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok(HEADER "TCP 80 | A | 192.0.2.1 | first note |\nUDP 53 | B | C | second |\n",
		 &table);
	assert_int_equal(table.notes.block_count, 1);
	xpf_table_free_notes(&table);
	assert_int_equal(table.notes.block_count, 0);
	assert_int_equal(table.count, 2);
	assert_string_equal(table.rows[0].note, "");
	assert_string_equal(table.rows[1].note, "");
	assert_string_equal(table.rows[0].label, "TCP 80");
	assert_string_equal(table.rows[0].destination, "192.0.2.1");
	assert_string_equal(table.rows[1].source, "B");
	assert_string_equal(table.rows[1].file, "t.txt");
	xpf_table_free(&table);
}

static void prose_before_header_is_ignored(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok("Ports HTTP/TCP 8080 and TCP 1 | are mentioned here.\n"
		 "More prose.\n" HEADER
		 "TCP 80 | A | B | n |\n", &table);
	assert_int_equal(table.count, 1);
	assert_int_equal(table.rows[0].port_first, 80);
	assert_int_equal(table.rows[0].line, 5);
	xpf_table_free(&table);
}

static void cells_run_across_lines(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok(HEADER "HTTPS/TCP\n443 |\nFront End\n  pool |\nDirector |\nsome\nnote |\n",
		 &table);
	assert_int_equal(table.count, 1);
	assert_string_equal(table.rows[0].label, "HTTPS/TCP 443");
	assert_string_equal(table.rows[0].source, "Front End pool");
	assert_string_equal(table.rows[0].note, "some note");
	assert_int_equal(table.rows[0].line, 3);
	xpf_table_free(&table);
}

static void blank_lines_are_ignored(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok(HEADER "\nTCP 80 |\n\nA |\n\n\nB |\nn |\n\n  \nUDP 53 | C | D | |\n", &table);
	assert_int_equal(table.count, 2);
	assert_int_equal(table.rows[0].line, 4);
	assert_int_equal(table.rows[1].line, 13);
	assert_string_equal(table.rows[1].note, "");
	xpf_table_free(&table);
}

static void rows_with_leading_bar_parse(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok("| Protocol | Source | Destination | Notes |\n"
		 "|---|---|---|---|\n"
		 "| TCP 80 | A | B | n |\n"
		 "| UDP 53 | C | D | m |\n", &table);
	assert_int_equal(table.count, 2);
	assert_string_equal(table.rows[1].source, "C");
	assert_int_equal(table.rows[1].line, 4);
	xpf_table_free(&table);
}

static void prose_after_table_is_ignored(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok(HEADER "TCP 80 | A | B | n |\n\nSee also the Edge table.\n", &table);
	assert_int_equal(table.count, 1);
	xpf_table_free(&table);
}

static void last_note_may_end_without_bar(void **state)
{
	struct xpf_table table;

	(void)state;
	parse_ok(HEADER "TCP 80 | A | B | the last note", &table);
	assert_int_equal(table.count, 1);
	assert_string_equal(table.rows[0].note, "the last note");
	xpf_table_free(&table);
}

static void missing_header_is_an_error(void **state)
{
	(void)state;
	parse_fails("TCP 80 | A | B | n |\n",
		    "t.txt: no header row found (a '|' row naming Source and Destination)");
}

static void port_70000_is_rejected_with_line(void **state)
{
	(void)state;
	parse_fails("prose\n" HEADER "\n"
		    "HTTP/TCP 80 |\nA |\nB |\nn |\n"
		    "HTTP/TCP 443 |\nA |\nB |\nn |\n\n"
		    "HTTP/TCP 70000 |\nA |\nB |\nn |\n",
		    "t.txt:14: port 70000 out of range 1-65535 in 'HTTP/TCP 70000'");
}

static void reversed_range_is_rejected_with_line(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 5000-4000 | A | B | n |\n",
		    "t.txt:3: reversed port range 5000-4000 in 'TCP 5000-4000'");
}

static void missing_transport_is_rejected_with_line(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 | A | B | n |\nHTTP 80 | A | B | n |\n",
		    "t.txt:4: no transport (TCP or UDP) in 'HTTP 80'");
}

static void incomplete_last_row_is_an_error(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 | A | B | n |\nTCP 81 |\nA |\n",
		    "t.txt:4: incomplete row: 2 of 4 cells (protocol | source | destination | "
		    "notes |)");
}

static void row_cut_after_protocol_is_an_error(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 | A | B | n |\nTCP 81 | A",
		    "t.txt:4: incomplete row: 2 of 4 cells (protocol | source | destination | "
		    "notes |)");
}

static void empty_source_is_an_error(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 |\n |\nB |\nn |\n",
		    "t.txt:4: empty source cell in the row of 'TCP 80'");
}

static void empty_destination_is_an_error(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 | A |  | n |\n",
		    "t.txt:3: empty destination cell in the row of 'TCP 80'");
}

static void overlong_source_is_an_error(void **state)
{
	char text[1024];
	char name[XPF_NAME_MAX + 1];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), HEADER "TCP 80 | %s | B | n |\n", name);
	parse_fails(text, "t.txt:3: source cell longer than 127 characters");
}

static void long_note_is_cut_at_a_character(void **state)
{
	char text[2048], note[XPF_NOTE_MAX + 8];
	struct xpf_table table;
	size_t i;

	(void)state;
	/* "é" is two bytes: an odd cut point would split one. */
	for (i = 0; i + 2 < sizeof(note); i += 2)
		memcpy(note + i, "\xc3\xa9", 2);
	note[i] = '\0';
	snprintf(text, sizeof(text), HEADER "TCP 80 | A | B | %s |\n", note);
	parse_ok(text, &table);
	assert_int_equal(strlen(table.rows[0].note), XPF_NOTE_MAX - 2);
	xpf_table_free(&table);
}

/* A page of several tables: each found by its header, its caption the line above it, prose
 * and headings between them skipped, a footnote after the last one too. */
#define PAGE "Title of the page\n" \
	     "Topic Last Modified: 2013-04-03\n" \
	     "Prose with HTTP/TCP 8080 in it.\n" \
	     "Firewall Summary: External Interface\n" \
	     "Role/Protocol/TCP or UDP/Port | Source IP address | Destination IP address | Notes |\n" \
	     "---|---|---|---|\n" \
	     "HTTP/TCP 80 |\nAny |\nWeb |\nn |\n" \
	     "Section heading\n" \
	     "More prose.\n" \
	     "Firewall Summary: Internal Interface\n" \
	     "Protocol/TCP or UDP/Port | Source (IP address) | Destination (IP address) | Comments |\n" \
	     "---|---|---|---|\n" \
	     "XMPP/MTLS/23456 |\nAny |\nEdge |\n |\n" \
	     "Required Server Ports\n" \
	     "Server role | Service name | Port | Protocol | Notes |\n" \
	     "---|---|---|---|---|\n" \
	     "Front End Servers |\nSQL |\n67/68 |\nDHCP |\n |\n" \
	     "Directors |\n |\n135 |\nDCOM and remote procedure call (RPC) |\n |\n" \
	     "Load Balancers\n" \
	     "Load Balancer | Port | Protocol |\n" \
	     "---|---|---|\n" \
	     " |\n |\n |\n" \
	     "Director load balancer |\n4443 |\nHTTPS (from reverse proxy) |\n" \
	     "Client Ports\n" \
	     "Component | Port | Protocol | Notes |\n" \
	     "---|---|---|---|\n" \
	     "Clients |\n1024-65535 * |\nTCP/UDP |\nAudio |\n" \
	     "* To configure specific ports, use a cmdlet.\n"

static void every_table_of_a_page_is_read(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table;

	(void)state;
	assert_int_equal(xpf_table_read(PAGE, "p.txt", &table, &err), 0);
	assert_string_equal(table.title, "Title of the page");
	assert_int_equal(table.section_count, 5);
	assert_string_equal(table.sections[0].caption, "Firewall Summary: External Interface");
	assert_string_equal(table.sections[1].caption, "Firewall Summary: Internal Interface");
	assert_string_equal(table.sections[2].caption, "Required Server Ports");
	assert_string_equal(table.sections[3].caption, "Load Balancers");
	assert_string_equal(table.sections[4].caption, "Client Ports");
	assert_int_equal(table.sections[0].layout, XPF_LAYOUT_FLOWS);
	assert_int_equal(table.sections[1].layout, XPF_LAYOUT_FLOWS);
	assert_int_equal(table.sections[2].layout, XPF_LAYOUT_SERVER_PORTS);
	assert_int_equal(table.sections[3].layout, XPF_LAYOUT_LOAD_BALANCER);
	assert_int_equal(table.sections[4].layout, XPF_LAYOUT_CLIENT_PORTS);
	assert_int_equal(table.sections[0].header_line, 5);
	assert_int_equal(table.sections[0].last_line, 10);

	/* 80 | XMPP inferred TCP | 67 and 68 | the Director's LB | the clients' range */
	assert_int_equal(table.count, 6);
	assert_int_equal(table.rows[1].protocols, XPF_PROTO_TCP);
	assert_int_equal(table.rows[1].port_first, 23456);
	assert_string_equal(table.rows[1].label, "XMPP/MTLS/23456");
	assert_string_equal(table.rows[2].source, "Any");
	assert_string_equal(table.rows[2].destination, "Front End Servers");
	assert_int_equal(table.rows[2].protocols, XPF_PROTO_UDP);
	assert_int_equal(table.rows[2].port_first, 67);
	assert_int_equal(table.rows[3].port_first, 68);
	assert_int_equal(table.rows[3].line, table.rows[2].line);
	assert_string_equal(table.rows[2].label, "DHCP 67/68");
	assert_string_equal(table.rows[4].destination, "Director load balancer");
	assert_int_equal(table.rows[4].protocols, XPF_PROTO_TCP);
	assert_string_equal(table.rows[5].source, "Clients");
	assert_string_equal(table.rows[5].destination, "Any");
	assert_int_equal(table.rows[5].port_first, 1024);
	assert_int_equal(table.rows[5].port_last, 65535);
	assert_int_equal(table.rows[5].protocols, XPF_PROTO_TCP | XPF_PROTO_UDP);

	/* The RPC row and the empty row: reported, each in its table, with its line. */
	assert_int_equal(table.report_count, 2);
	assert_int_equal(table.sections[2].report_count, 1);
	assert_int_equal(table.reports[0].line, 31);
	assert_string_equal(table.reports[0].problem,
			    "no transport (TCP or UDP, or a protocol that stands for one) in "
			    "'DCOM and remote procedure call (RPC)'");
	assert_int_equal(table.sections[3].report_count, 1);
	assert_int_equal(table.reports[1].line, 36);
	assert_string_equal(table.reports[1].problem, "empty row");
	xpf_table_free(&table);
}

/* The strict reader turns the first reported row into the error. */
static void parse_makes_a_reported_row_an_error(void **state)
{
	(void)state;
	parse_fails(PAGE, "t.txt:31: no transport (TCP or UDP, or a protocol that stands for one) "
			  "in 'DCOM and remote procedure call (RPC)'");
}

static void header_of_unknown_layout_is_an_error(void **state)
{
	(void)state;
	parse_fails("Caption\nServer role | Port | Colour |\n---|---|---|\nA |\n1 |\nred |\n",
		    "t.txt:2: a table header of no layout xpf reads: 'Server role | Port | Colour |' "
		    "(docs/tables.md lists the layouts)");
	/* After a first table too: a page is read to its end. */
	parse_fails(HEADER "TCP 80 | A | B | n |\nNext\nWho | What |\n---|---|\nx | y |\n",
		    "t.txt:5: a table header of no layout xpf reads: 'Who | What |' "
		    "(docs/tables.md lists the layouts)");
}

static void row_cut_short_before_the_next_table_is_an_error(void **state)
{
	(void)state;
	parse_fails(HEADER "TCP 80 |\nA |\n" HEADER "TCP 81 | A | B | n |\n",
		    "t.txt:3: incomplete row: 2 of 4 cells (protocol | source | destination | "
		    "notes |)");
}

static void empty_cells_of_port_layouts_are_reported(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table;

	(void)state;
	assert_int_equal(xpf_table_read("Load Balancer | Port | Protocol |\n---|---|---|\n"
					"A |\n |\nTCP |\n"
					" |\n80 |\nTCP |\n"
					"B |\n443 |\n |\n"
					"C |\n70000 |\nTCP |\n", "t.txt", &table, &err), 0);
	assert_int_equal(table.count, 0);
	assert_int_equal(table.report_count, 4);
	assert_string_equal(table.reports[0].problem, "empty port cell in the row of 'A'");
	assert_int_equal(table.reports[0].line, 4);
	assert_string_equal(table.reports[1].problem, "empty role cell in the row of port 80");
	assert_string_equal(table.reports[2].problem,
			    "empty protocol cell in the row of 'B', port 443: no transport");
	assert_int_equal(table.reports[2].line, 11);
	assert_string_equal(table.reports[3].problem, "port 70000 out of range 1-65535 in '70000'");
	xpf_table_free(&table);
}

/* "Any (can be defined as ...)" runs past a role name's length: its parts do not. */
static void long_cell_that_lists_roles_is_read(void **state)
{
	char text[1024], list[400] = "Any (can be defined as ";
	struct xpf_table table;

	(void)state;
	for (int i = 0; i < 8; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%sRole number %d",
			 i ? ", " : "", i);
	strcat(list, ")");
	assert_true(strlen(list) >= XPF_NAME_MAX);
	snprintf(text, sizeof(text), HEADER "TCP 80 | %s | B | n |\n", list);
	parse_ok(text, &table);
	assert_string_equal(table.rows[0].source, list);
	xpf_table_free(&table);
}

static int add(struct xpf_table *table, const char *pick, struct xpf_error *err)
{
	return xpf_table_add(table, PAGE, "p.txt", pick, err);
}

static void a_page_adds_the_table_picked(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table = { 0 };

	(void)state;
	assert_int_equal(add(&table, "internal interface", &err), 0);
	assert_int_equal(table.section_count, 1);
	assert_string_equal(table.sections[0].caption, "Firewall Summary: Internal Interface");
	assert_int_equal(table.count, 1);
	assert_int_equal(table.rows[0].port_first, 23456);
	assert_int_equal(table.sections[0].first_row, 0);
	/* A second page (the same one), by number: rows, sections and reports follow. */
	assert_int_equal(add(&table, "3", &err), 0);
	assert_int_equal(table.section_count, 2);
	assert_string_equal(table.sections[1].caption, "Required Server Ports");
	assert_int_equal(table.sections[1].first_row, 1);
	assert_int_equal(table.count, 3);
	assert_int_equal(table.report_count, 1);
	assert_int_equal(table.sections[1].first_report, 0);
	assert_ptr_equal(xpf_table_section_of(&table, &table.rows[2]), &table.sections[1]);
	/* And a whole page. */
	assert_int_equal(add(&table, NULL, &err), 0);
	assert_int_equal(table.section_count, 7);
	assert_int_equal(table.count, 9);
	assert_int_equal(table.report_count, 3);
	xpf_table_free(&table);
}

static void a_pick_that_names_no_one_table_fails(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table = { 0 };

	(void)state;
	assert_int_equal(add(&table, "Interface", &err), -ENOENT);
	assert_non_null(strstr(err.message, "more than one table is captioned 'Interface' (its "
					    "tables: 1 'Firewall Summary: External Interface', 2 "));
	assert_null(table.rows);
	assert_int_equal(add(&table, "Edge", &err), -ENOENT);
	assert_non_null(strstr(err.message, "no table is captioned 'Edge'"));
	assert_int_equal(add(&table, "6", &err), -ENOENT);
	/* A caption that is another's part is still picked whole. */
	assert_int_equal(xpf_table_add(&table, "Ports\n" HEADER "TCP 1 | A | B | n |\n"
					"Client Ports\n" HEADER "TCP 2 | A | B | n |\n",
					"q.txt", "ports", &err), 0);
	assert_int_equal(table.count, 1);
	assert_int_equal(table.rows[0].port_first, 1);
	xpf_table_free(&table);
}

/* A table read without its notes (a rule set's: xpf_config_read()) has the same rows, every
 * note "", in flows and in the ports layouts. */
static void a_table_read_without_notes_has_the_same_rows(void **state)
{
	static const char page[] = "Flows\n" HEADER "TCP 1 | A | B | a note |\n"
				   "Listen\nServer role | Service name | Port | Protocol | Notes |\n"
				   "---|---|---|---|---|\nWeb | web | 443 | TCP | its note |\n";
	struct xpf_error err = { { 0 } };
	struct xpf_table with = { 0 }, without = { .without_notes = true };

	(void)state;
	assert_int_equal(xpf_table_add(&with, page, "p.txt", NULL, &err), 0);
	assert_int_equal(xpf_table_add(&without, page, "p.txt", NULL, &err), 0);
	assert_int_equal(with.count, 2);
	assert_int_equal(without.count, 2);
	assert_string_equal(with.rows[0].note, "a note");
	assert_string_equal(with.rows[1].note, "web: its note");
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(without.rows[i].note, "");
		assert_string_equal(without.rows[i].label, with.rows[i].label);
		assert_string_equal(without.rows[i].source, with.rows[i].source);
		assert_string_equal(without.rows[i].destination, with.rows[i].destination);
		assert_int_equal(without.rows[i].line, with.rows[i].line);
		assert_int_equal(without.rows[i].port_first, with.rows[i].port_first);
		assert_int_equal(without.rows[i].protocols, with.rows[i].protocols);
	}
	xpf_table_free(&with);
	xpf_table_free(&without);
}

int main(void)
{
	const struct CMUnitTest published[] = {
		cmocka_unit_test(published_table_has_nine_rows),
		cmocka_unit_test(published_table_ports_in_order),
		cmocka_unit_test(published_rows_are_tcp_allows),
		cmocka_unit_test(published_labels_are_kept_as_written),
		cmocka_unit_test(row_444_goes_from_director_to_front_end_pool),
		cmocka_unit_test(published_row_remembers_file_and_first_line),
		cmocka_unit_test(published_notes_are_kept),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prose_before_header_is_ignored),
		cmocka_unit_test(cells_run_across_lines),
		cmocka_unit_test(blank_lines_are_ignored),
		cmocka_unit_test(rows_with_leading_bar_parse),
		cmocka_unit_test(prose_after_table_is_ignored),
		cmocka_unit_test(last_note_may_end_without_bar),
		cmocka_unit_test(missing_header_is_an_error),
		cmocka_unit_test(port_70000_is_rejected_with_line),
		cmocka_unit_test(reversed_range_is_rejected_with_line),
		cmocka_unit_test(missing_transport_is_rejected_with_line),
		cmocka_unit_test(incomplete_last_row_is_an_error),
		cmocka_unit_test(row_cut_after_protocol_is_an_error),
		cmocka_unit_test(empty_source_is_an_error),
		cmocka_unit_test(empty_destination_is_an_error),
		cmocka_unit_test(overlong_source_is_an_error),
		cmocka_unit_test(long_note_is_cut_at_a_character),
		cmocka_unit_test(freed_notes_leave_the_rows_whole),
		cmocka_unit_test(every_table_of_a_page_is_read),
		cmocka_unit_test(parse_makes_a_reported_row_an_error),
		cmocka_unit_test(header_of_unknown_layout_is_an_error),
		cmocka_unit_test(row_cut_short_before_the_next_table_is_an_error),
		cmocka_unit_test(empty_cells_of_port_layouts_are_reported),
		cmocka_unit_test(long_cell_that_lists_roles_is_read),
		cmocka_unit_test(a_page_adds_the_table_picked),
		cmocka_unit_test(a_pick_that_names_no_one_table_fails),
		cmocka_unit_test(a_table_read_without_notes_has_the_same_rows),
	};
	int failed;

	failed = cmocka_run_group_tests_name("published table", published, published_setup,
					     published_teardown);
	failed += cmocka_run_group_tests_name("table parser", tests, NULL, NULL);
	return failed;
}
