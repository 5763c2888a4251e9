#!/bin/sh
# Makes a test CA and server certificates in DIR (OpenSSL 3.0: `openssl ca` for
# arbitrary start and end dates, as `x509 -not_before` needs OpenSSL 3.4).
#   ca.pem               the test CA
#   valid.pem            localhost + 127.0.0.1, from the CA, one year
#   expired.pem          2020-2021
#   notyet.pem           2040-2041
#   wrongname.pem        only other.example
#   wildcard.pem         *.test.example
#   selfsigned.pem       localhost, signed by itself
#   soon.pem             localhost, expires in 5 days
#   chain-expired-intermediate.pem  localhost, one year, under an intermediate CA of 2020-2021
#   chain-soon-intermediate.pem     localhost, one year, under an intermediate CA ending in 5 days
#                        (NAME.pem holds the intermediate after the leaf, as exim4, dovecot and
#                        slapd read a chain; NAME.chain.pem the intermediate alone, for s_server)
# Each NAME.pem has its key in NAME.key.
set -eu
dir=$1
mkdir -p "$dir/ca.db"
cd "$dir"
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = ./ca.db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[server]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \${ENV::SAN}
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1.key" 2>/dev/null; }
key ca
openssl req -x509 -new -key ca.key -subj "/CN=monitoring-info test CA" -days 3650 -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
sign() { # NAME CN SAN DATES...
  name=$1 cn=$2; SAN=$3; export SAN; shift 3
  key "$name"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
  openssl ca -batch -notext -config ca.cnf -extensions server -in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
}
sign valid localhost "DNS:localhost,IP:127.0.0.1,IP:::1" -days 365
sign expired localhost "DNS:localhost,IP:127.0.0.1" -startdate 20200101000000Z -enddate 20210101000000Z
sign notyet localhost "DNS:localhost,IP:127.0.0.1" -startdate 20400101000000Z -enddate 20410101000000Z
sign wrongname other.example "DNS:other.example" -days 365
sign wildcard "*.test.example" "DNS:*.test.example" -days 365
sign soon localhost "DNS:localhost,IP:127.0.0.1" -days 5
cat >> ca.cnf <<CNF
[intermediate]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
CNF
intermediate() { # NAME DATES...
  name=$1; shift
  key "$name"
  openssl req -new -key "$name.key" -subj "/CN=test $name" -out "$name.csr"
  openssl ca -batch -notext -config ca.cnf -extensions intermediate -in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
}
leaf_under() { # NAME ISSUER
  key "$1"
  openssl req -new -key "$1.key" -subj "/CN=localhost" -out "$1.csr"
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 365 -extfile "$1.ext" \
    -out "$1.pem" 2>/dev/null
  cp "$2.pem" "$1.chain.pem"
  cat "$2.pem" >> "$1.pem"
}
intermediate expired-intermediate -startdate 20200101000000Z -enddate 20210101000000Z
intermediate soon-intermediate -days 5
leaf_under chain-expired-intermediate expired-intermediate
leaf_under chain-soon-intermediate soon-intermediate
key selfsigned
openssl req -x509 -new -key selfsigned.key -subj "/CN=localhost" -days 365 -out selfsigned.pem \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
chmod 644 ./*.key
