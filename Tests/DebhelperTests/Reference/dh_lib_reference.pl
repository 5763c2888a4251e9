#!/usr/bin/perl
# Reference for the parity tests: performs the given operations with debhelper's own
# Dh_Lib (autoscript, autotrigger, addsubstvar) in the current directory, as a tool named
# dh_monitoringinfo with the given version would.
#
# Usage: [DH_VERBOSE=1] DH_AUTOSCRIPTDIR=DIR dh_lib_reference.pl VERSION OP...
#   autoscript PKG SCRIPT SNIPPET KEY=VALUE[,KEY=VALUE...]
#   autotrigger PKG TYPE TARGET
#   addsubstvar PKG SUBSTVAR VALUE
use strict;
use warnings;

BEGIN {
	$0 = 'dh_monitoringinfo';    # Dh_Lib takes TOOL_NAME from basename($0) when loaded
	$main::VERSION = shift(@ARGV);
}
use Debian::Debhelper::Dh_Lib;

# What init() takes from the environment and these operations use (rename_path logs under it).
$dh{VERBOSE} = 1 if length($ENV{DH_VERBOSE} // '');

while (@ARGV) {
	my $op = shift(@ARGV);
	if ($op eq 'autoscript') {
		my ($package, $script, $snippet, $subst) = splice(@ARGV, 0, 4);
		my %values = map { split(/=/, $_, 2) } split(/,/, $subst);
		autoscript($package, $script, $snippet, \%values);
	} elsif ($op eq 'autotrigger') {
		my ($package, $type, $target) = splice(@ARGV, 0, 3);
		autotrigger($package, $type, $target);
	} elsif ($op eq 'addsubstvar') {
		my ($package, $substvar, $value) = splice(@ARGV, 0, 3);
		addsubstvar($package, $substvar, $value);
	} else {
		die("unknown operation $op\n");
	}
}
