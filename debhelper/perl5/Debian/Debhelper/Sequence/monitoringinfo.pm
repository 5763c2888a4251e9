#!/usr/bin/perl
# debhelper sequence addon: dh $@ --with monitoringinfo, or Build-Depends: dh-sequence-monitoringinfo.
use warnings;
use strict;
use Debian::Debhelper::Dh_Lib;

# After dh_fixperms, which would reset a fragment with a password from 0600 to 0644: the mode
# dh_monitoringinfo installs is then the mode dpkg unpacks. (An option for dh_fixperms, added
# with add_command_options, would not reach a package's own override_dh_fixperms.)
insert_after('dh_fixperms', 'dh_monitoringinfo');

1;
