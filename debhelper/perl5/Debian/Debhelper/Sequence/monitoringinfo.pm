#!/usr/bin/perl
# debhelper sequence addon: dh $@ --with monitoringinfo, or Build-Depends: dh-sequence-monitoringinfo.
use warnings;
use strict;
use Debian::Debhelper::Dh_Lib;

insert_after('dh_installlogrotate', 'dh_monitoringinfo');

1;
