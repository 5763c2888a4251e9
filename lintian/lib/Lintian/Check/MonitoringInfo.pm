# monitoring-info -- lintian check for monitoring-info fragments -*- perl -*-
#
# Loaded with `lintian --include-dir /ABSOLUTE/PATH/lintian`. Check name:
# monitoring-info. Tags: lintian/tags/monitoring-info/*.tag (generated from
# the Swift rule descriptions; do not edit them by hand).
#
# What counts as a fragment:
#  - a regular file or symlink directly in /etc/monitoring-info/ (its proper
#    place; a symlink's contents are not validated);
#  - a regular file in a subdirectory of /etc/monitoring-info/ (misplaced:
#    the client reads only /etc/monitoring-info/*.conf);
#  - elsewhere (except under /usr/share/doc/, where examples belong): a file
#    NAME.conf directly inside a directory called monitoring-info or
#    monitoring-info.d, or a file called *.monitoring-info (an uninstalled
#    copy of the maintainer's debian/PACKAGE.monitoring-info).
# The contents of every file under /etc/monitoring-info/ are validated by
# monitoring-info-lint (one run per package, so duplicate services across
# the package's fragments are found too); files found elsewhere are only
# reported as misplaced.
#
# On a source package: the maintainer's fragments in debian/ that debhelper's
# lookup never finds for any binary package (monitoring-info-unused-fragment,
# the files dh_monitoringinfo warns about). monitoring-info-lint
# --binary-packages decides, from the names in debian/, debian/rules and the
# binary packages in debian/control's order; the contents are not read.
#
# The format's rules live in monitoring-info-lint alone, and so do the
# package's duties for its fragments (the trigger, no world-readable
# password): this check hands the linter the facts only lintian knows (the
# triggers control file, each fragment's mode in the package) and reports
# what it says.

package Lintian::Check::MonitoringInfo;

use v5.20;
use warnings;
use utf8;

use Const::Fast;
use File::Spec;
use IPC::Run3;
use Unicode::UTF8 qw(encode_utf8 decode_utf8 valid_utf8);

use Lintian::Deb822;

use Moo;
use namespace::clean;

with 'Lintian::Check';

const my $FRAGMENT_DIR => 'etc/monitoring-info/';
const my $LINTER_NAME => 'monitoring-info-lint';
const my $UNAVAILABLE_TAG => 'monitoring-info-linter-unavailable';

# items under /etc/monitoring-info/ whose contents the linter validates
has lint_items => (is => 'rw', default => sub { [] });

sub visit_installed_files {
    my ($self, $item) = @_;

    return
      unless $item->is_file || $item->is_symlink;

    my $name = $item->name;

    if ($name =~ m{^\Q$FRAGMENT_DIR\E(.+)$}) {
        my $relative = $1;

        # a symlink's name and place count; its target's contents are
        # checked where the target is
        push(@{$self->lint_items}, $item)
          unless $item->is_symlink;

        if ($relative =~ m{/}) {
            $self->pointed_hint('monitoring-info-fragment-outside-directory',
                $item->pointer, 'in a subdirectory of /etc/monitoring-info');
            return;
        }

        $self->check_name($item);
        return;
    }

    return
      if $name =~ m{^usr/share/doc/} || $item->is_symlink;

    $self->pointed_hint('monitoring-info-fragment-outside-directory',
        $item->pointer, 'not in /etc/monitoring-info')
      if $name =~ m{(?:^|/)monitoring-info(?:[.]d)?/[^/]+[.]conf$}
      || $item->basename =~ m{.[.]monitoring-info$};

    return;
}

sub installable {
    my ($self) = @_;

    $self->run_linter;

    return;
}

sub source {
    my ($self) = @_;

    my $debian = $self->processable->patched->resolve_path('debian/');
    return
      unless defined $debian && $debian->is_dir;

    # anything named like a fragment; which of these no build uses is the
    # linter's to say, and a source package without them needs no linter
    my @items = grep {
        ($_->is_file || $_->is_symlink)
          && $_->basename =~ m{monitoring-info}
    } $debian->children;
    return
      unless @items;

    my @packages = $self->installables_in_order;
    return
      unless @packages;

    my $root = $debian->unpacked_path;
    $root =~ s{/debian/?$}{}
      or return $self->linter_failed($items[0],
        'cannot find the unpacked root of debian/');

    return $self->ask_linter($root, \@items,
        '--binary-packages=' . join(q{,}, @packages), 'debian');
}

# The binary packages in debian/control's order (debian/monitoring-info is
# the first one's); lintian's own list of them has no order.
sub installables_in_order {
    my ($self) = @_;

    my $control = $self->processable->debian_control;
    my %known = map { $_ => 1 } $control->installables;

    my $item = $control->item;
    return ()
      unless defined $item && $item->is_open_ok;

    # a control file lintian could not parse is reported by its own checks
    my @sections
      = eval { Lintian::Deb822->new->read_file($item->unpacked_path) };
    shift @sections;

    return grep { exists $known{$_} }
      map { $_->value('Package') } @sections;
}

# The client reads /etc/monitoring-info/*.conf only; the name of the file is
# PACKAGE.conf (dh_monitoringinfo --name=NAME makes it NAME.conf).
sub check_name {
    my ($self, $item) = @_;

    my $basename = $item->basename;

    $self->pointed_hint('monitoring-info-fragment-needs-conf-suffix',
        $item->pointer)
      unless $basename =~ m{[.]conf$};

    (my $stem = $basename) =~ s{[.]conf$}{};

    my $package = $self->processable->name;
    my $source = $self->processable->source_name // $package;

    # NAME.conf is justified when NAME is the package or source name, or
    # is namespaced by one of them (apache2-ssl.conf in apache2: the usual
    # --name use), or when the maintainer scripts name the file (a package
    # that handles the file itself, e.g. when moving it).
    for my $owner ($package, $source) {
        return
          if $stem eq $owner
          || $stem =~ m{^\Q$owner\E[.-]};
    }

    return
      if $self->maintainer_scripts_mention('/' . $item->name);

    $self->pointed_hint('monitoring-info-fragment-name-mismatch',
        $item->pointer, "expected $package.conf");

    return;
}

sub script_text {
    my ($self, $name) = @_;

    my $script = $self->processable->control->lookup($name);
    return q{}
      unless defined $script && $script->is_file && $script->is_open_ok;

    return $script->bytes;
}

sub maintainer_scripts_mention {
    my ($self, $path) = @_;

    for my $name (qw(postinst preinst postrm prerm)) {
        return 1
          if $self->script_text($name) =~ m{\Q$path\E(?![\w.-])};
    }

    return 0;
}

sub find_linter {
    my ($self) = @_;

    my $configured = $ENV{LINTIAN_MONITORING_INFO_LINT};
    if (length $configured) {
        return (File::Spec->rel2abs($configured), undef)
          if -f $configured && -x _;
        return (undef,
            "LINTIAN_MONITORING_INFO_LINT=$configured is not an executable file"
        );
    }

    for my $dir (split(m{:}, $ENV{PATH} // q{})) {
        my $candidate = (length $dir ? $dir : q{.}) . "/$LINTER_NAME";
        return (File::Spec->rel2abs($candidate), undef)
          if -f $candidate && -x _;
    }

    return (undef,
"$LINTER_NAME not found on PATH (install dh-monitoringinfo or set LINTIAN_MONITORING_INFO_LINT)"
    );
}

# Fragments must never pass silently because the linter is missing or broken.
sub linter_failed {
    my ($self, $item, $reason) = @_;

    die encode_utf8("monitoring-info check: $reason\n")
      unless defined $self->profile->get_tag($UNAVAILABLE_TAG);

    $self->pointed_hint($UNAVAILABLE_TAG, $item->pointer, $reason);

    return;
}

sub run_linter {
    my ($self) = @_;

    my @items = @{$self->lint_items};
    return
      unless @items;

    # Run in the unpacked tree with relative names, so that pointers and
    # notes (duplicate-service names the other file) say etc/monitoring-info/...
    my $first = $items[0];
    my $root = $first->unpacked_path;
    $root =~ s{/\Q${\ $first->name }\E$}{}
      or return $self->linter_failed($first,
        'cannot find the unpacked root of ' . $first->name);

    # What only lintian knows: the triggers control file and the modes.
    my $triggers = $self->processable->control->lookup('triggers');
    my @facts = ('--package-facts',
        map { '--mode=' . $_->name . q{=} . sprintf('%04o', $_->operm) } @items);
    push(@facts, '--triggers=' . $triggers->unpacked_path)
      if defined $triggers && $triggers->is_file && $triggers->is_open_ok;

    return $self->ask_linter($root, \@items, @facts, q{--},
        map { $_->name } @items);
}

# Runs the linter with @arguments in $root and reports what it finds on
# @$items, which name the paths it may report; failures go to the first.
sub ask_linter {
    my ($self, $root, $items, @arguments) = @_;

    my $first = $items->[0];

    my ($linter, $missing) = $self->find_linter;
    return $self->linter_failed($first, $missing)
      unless defined $linter;

    my %item_by_path = map { $_->name => $_ } @{$items};

    my ($stdout, $stderr);
    my @command = ('env', "--chdir=$root", $linter, '--format=tsv', @arguments);
    my $ran = eval { run3(\@command, \undef, \$stdout, \$stderr); 1 };
    return $self->linter_failed($first, "cannot run $linter: $@")
      unless $ran;

    my $status = $?;
    if ($status & 127) {
        return $self->linter_failed($first,
            "$linter killed by signal " . ($status & 127));
    }

    my $code = $status >> 8;
    if ($code != 0 && $code != 2) {
        my $message = $stderr // q{};
        $message = decode_utf8($message) if valid_utf8($message);
        $message =~ s{\s+$}{};
        my $reason = "$linter exited with status $code";
        $reason .= ": $message"
          if length $message;
        return $self->linter_failed($first, $reason);
    }

    $stdout //= q{};
    return $self->linter_failed($first,
        "$linter printed output that is not UTF-8")
      unless valid_utf8($stdout);

    for my $line (split(m{\n}, decode_utf8($stdout))) {

        next
          unless length $line;

        my ($path, $position, $severity, $tag, $note) = split(m{\t}, $line, 5);

        my $item = defined $path ? $item_by_path{$path} : undef;
        return $self->linter_failed($first,
            "unexpected output from $linter: $line")
          unless defined $item
          && defined $tag
          && $position =~ m{^\d+$}
          && $tag =~ m{^monitoring-info-[a-z0-9-]+$};

        $self->pointed_hint($tag, $item->pointer($position), $note // q{});
    }

    # status 2 means findings; findings we did not see are a broken linter
    return $self->linter_failed($first,
        "$linter exited with status 2 but reported nothing")
      if $code == 2 && $stdout !~ m{\S};

    return;
}

1;

# Local Variables:
# indent-tabs-mode: nil
# cperl-indent-level: 4
# End:
# vim: syntax=perl sw=4 sts=4 sr et
