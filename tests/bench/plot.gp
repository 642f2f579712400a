# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Plots of one benchmark run (scripts/bench): gnuplot -e "out='build/bench'" tests/bench/plot.gp
set terminal pngcairo size 900,560 noenhanced
set grid

set output out.'/ns_per_packet.png'
set title 'Per-packet cost, BPF_PROG_TEST_RUN (median ns/packet)'
set xlabel 'rules (Director table, then generated)'
set ylabel 'ns/packet'
set logscale x
set key outside right top
set yrange [0:*]
plot out.'/ns_vs_rules.dat' using 1:2 with linespoints title 'empty XDP_DROP (floor)', \
     '' using 1:3 with linespoints title 'xpf allowed v4', \
     '' using 1:4 with linespoints title 'xpf denied v4', \
     '' using 1:5 with linespoints title 'xpf allowed v6', \
     '' using 1:6 with linespoints title 'xpf denied v6', \
     '' using 1:7 with linespoints title 'xpf not local'

unset logscale x
set output out.'/live_mpps.png'
set title 'Live rate on veth, 64-byte frames (median Mpps received)'
set xlabel ''
set ylabel 'Mpps'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set key inside top right
set xtics rotate by -20 nomirror
plot out.'/live_mpps.dat' using 2:xtic(1) title 'denied_port (SYN to a closed port)', '' using 3 title 'allowed_v4'

set output out.'/live_prog_ns.png'
set title 'Attached XDP program under live traffic: median run_time_ns/run_cnt over the floor, by frame'
set ylabel 'ns/packet over the floor'
set yrange [*:*]
set key outside right top
plot for [i=2:*] out.'/live_prog_ns.dat' using i:xtic(1) title columnhead(i)
