# Syntax errors, found by the CLI before anything is sent: "Error: " and the message (one
# line per missing option), a blank line, the help of the command; exit status 1. Nothing
# changes (the lists at the end are empty).

# Missing required options, one line each, in help order.
$ esxcli network ip ipsec sa add
! Error: Missing required parameter -e|--encryption-algorithm
!        Missing required parameter -i|--integrity-algorithm
!        Missing required parameter -K|--integrity-key
!        Missing required parameter -d|--sa-destination
!        Missing required parameter -n|--sa-name
!        Missing required parameter -s|--sa-source
!        Missing required parameter -p|--sa-spi
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add --sa-name sa_1 --encryption-algorithm aes128-cbc
! Error: Missing required parameter -k|--encryption-key
!        Missing required parameter -i|--integrity-algorithm
!        Missing required parameter -K|--integrity-key
!        Missing required parameter -d|--sa-destination
!        Missing required parameter -s|--sa-source
!        Missing required parameter -p|--sa-spi
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

# The encryption key is required unless the algorithm is null.
$ esxcli network ip ipsec sa add --sa-source any --sa-destination any --sa-spi 0x1000 --encryption-algorithm 3des-cbc --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_1
! Error: Missing required parameter -k|--encryption-key
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sp add
! Error: Missing required parameter -A|--action
!        Missing required parameter -w|--flow-direction
!        Missing required parameter -d|--sp-destination
!        Missing required parameter -n|--sp-name
!        Missing required parameter -s|--sp-source
!
! Usage: esxcli network ip ipsec sp add [cmd options]
!
! Description:
!   add                   Add a Security Policy. Policies are matched in the order
!                         they were added; the first match wins.
!
! Cmd options:
!   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
!                         as it is), discard (drop it) or ipsec (protect it with a
!                         Security Association). (required)
!   -t|--destination-port=<str>
!                         Destination port, 0-65535 or any (the default); with
!                         icmp6, the ICMPv6 type.
!   -w|--flow-direction=<str>
!                         Direction of the traffic: in or out. (required)
!   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
!                         only). Without it, each packet uses the first SA whose
!                         addresses and mode match.
!   -o|--source-port=<str>
!                         Source port, 0-65535 or any (the default); not used with
!                         icmp6.
!   -d|--sp-destination=<str>
!                         Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
!                         mode of the Security Association, else transport).
!   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
!                         A-Za-z0-9_.-. (required)
!   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   -P|--upper-layer-protocol=<str>
!                         Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
? 1

$ esxcli network ip ipsec sp add --action ipsec --sp-name sp_1
! Error: Missing required parameter -w|--flow-direction
!        Missing required parameter -d|--sp-destination
!        Missing required parameter -s|--sp-source
!
! Usage: esxcli network ip ipsec sp add [cmd options]
!
! Description:
!   add                   Add a Security Policy. Policies are matched in the order
!                         they were added; the first match wins.
!
! Cmd options:
!   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
!                         as it is), discard (drop it) or ipsec (protect it with a
!                         Security Association). (required)
!   -t|--destination-port=<str>
!                         Destination port, 0-65535 or any (the default); with
!                         icmp6, the ICMPv6 type.
!   -w|--flow-direction=<str>
!                         Direction of the traffic: in or out. (required)
!   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
!                         only). Without it, each packet uses the first SA whose
!                         addresses and mode match.
!   -o|--source-port=<str>
!                         Source port, 0-65535 or any (the default); not used with
!                         icmp6.
!   -d|--sp-destination=<str>
!                         Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
!                         mode of the Security Association, else transport).
!   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
!                         A-Za-z0-9_.-. (required)
!   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   -P|--upper-layer-protocol=<str>
!                         Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
? 1

# An option without its value; a value that looks like an option is not taken.
$ esxcli network ip ipsec sa add --sa-source any --sa-destination any --sa-spi
! Error: --sa-spi must have value
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add --sa-name --sa-source any
! Error: --sa-name must have value
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add -n -s any
! Error: -n must have value
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sp add --sp-source any --sp-destination any --source-port -1 --flow-direction out --action none --sp-name sp_1
! Error: --source-port must have value
!
! Usage: esxcli network ip ipsec sp add [cmd options]
!
! Description:
!   add                   Add a Security Policy. Policies are matched in the order
!                         they were added; the first match wins.
!
! Cmd options:
!   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
!                         as it is), discard (drop it) or ipsec (protect it with a
!                         Security Association). (required)
!   -t|--destination-port=<str>
!                         Destination port, 0-65535 or any (the default); with
!                         icmp6, the ICMPv6 type.
!   -w|--flow-direction=<str>
!                         Direction of the traffic: in or out. (required)
!   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
!                         only). Without it, each packet uses the first SA whose
!                         addresses and mode match.
!   -o|--source-port=<str>
!                         Source port, 0-65535 or any (the default); not used with
!                         icmp6.
!   -d|--sp-destination=<str>
!                         Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
!                         mode of the Security Association, else transport).
!   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
!                         A-Za-z0-9_.-. (required)
!   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   -P|--upper-layer-protocol=<str>
!                         Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
? 1

# Repeated options, in either spelling.
$ esxcli network ip ipsec sa add --sa-name sa_1 --sa-name sa_2
! Error: Duplicated option --sa-name
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add -n sa_1 --sa-name sa_2
! Error: Duplicated option --sa-name
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sp remove -n sp_1 -n sp_2
! Error: Duplicated option -n
!
! Usage: esxcli network ip ipsec sp remove [cmd options]
!
! Description:
!   remove                Remove Security Policies: one by name, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Policy.
!   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 1

# Unknown options and stray words; no prefix matching.
$ esxcli network ip ipsec sa add --sa-nam sa_1
! Error: Invalid option --sa-nam
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add -x 1
! Error: Invalid option -x
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add -nsa_1
! Error: Invalid option -nsa_1
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add --sa-source any --sa-destination any --sa-spi 0x1000 --encryption-algorithm null --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: Invalid option sa_1
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa add --source-port 23
! Error: Invalid option --source-port
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ esxcli network ip ipsec sa list --formatter=xml
! Error: Invalid option --formatter
!
! Usage: esxcli network ip ipsec sa list [cmd options]
!
! Description:
!   list                  List the Security Associations, in the order they were
!                         added. Keys are never listed.
? 1

$ esxcli network ip ipsec sp list all
! Error: Invalid option all
!
! Usage: esxcli network ip ipsec sp list [cmd options]
!
! Description:
!   list                  List the Security Policies, in the order they are
!                         matched.
? 1

$ ipsec6 sa add --
! Error: Invalid option --
!
! Usage: ipsec6 sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --added=<long>        When the SA was added, in seconds since 1970 (UTC);
!                         default now. ipsec6d writes it into its configuration
!                         file for SAs with a time limit, so that their age
!                         survives restarts.
!   --byte-hard=<long>    Hard lifetime in bytes protected and accepted (before
!                         ESP), counted since the SA was added: once reached, the
!                         SA carries no more traffic in either direction.
!   --byte-soft=<long>    Soft lifetime in bytes: once reached, an event and a log
!                         line; nothing else changes.
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   --encryption-key-file=<str>
!                         Read the encryption key from this file (one line), so
!                         that it does not appear in the process list.
!   --esn                 Extended sequence numbers (RFC 4303 section 2.2.1):
!                         64-bit sequence numbers whose high half is authenticated
!                         but never sent, so that a manually keyed SA never runs
!                         out of them. Both peers must agree. Without it an SA
!                         stops sending at 2^32 - 1 packets.
!   --grace-period=<long>
!                         With --retired: how many seconds after it was retired
!                         the SA still accepts inbound packets. ipsec6d writes it
!                         into its configuration file.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   --integrity-key-file=<str>
!                         Read the integrity key from this file (one line), so
!                         that it does not appear in the process list.
!   --packet-hard=<long>  Hard lifetime in packets protected and accepted, counted
!                         since the SA was added: once reached, the SA carries no
!                         more traffic in either direction.
!   --packet-soft=<long>  Soft lifetime in packets: once reached, an event and a
!                         log line; nothing else changes.
!   --replay-window=<long>
!                         Anti-replay window in packets, 32-65536 (default 64).
!   --retired=<long>      The SA was replaced by `sa rekey` at this time, in
!                         seconds since 1970 (UTC): it sends nothing and accepts
!                         inbound packets for --grace-period seconds from then.
!                         ipsec6d writes it into its configuration file, so that a
!                         restart keeps the grace.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --time-hard=<long>    Hard lifetime in seconds since the SA was added: once
!                         reached, the SA carries no more traffic in either
!                         direction; it stays listed until replaced or removed.
!   --time-soft=<long>    Soft lifetime in seconds since the SA was added: once
!                         reached, an event and a log line; nothing else changes.
? 1

# Flags given values.
$ esxcli network ip ipsec sa remove --remove-all=yes
! Error: '--remove-all' is a flag and cannot accept any values.
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove -a=1
! Error: '-a' is a flag and cannot accept any values.
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sp remove --remove-all=true
! Error: '--remove-all' is a flag and cannot accept any values.
!
! Usage: esxcli network ip ipsec sp remove [cmd options]
!
! Description:
!   remove                Remove Security Policies: one by name, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Policy.
!   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 1

$ esxcli network ip ipsec sp remove --remove-all yes
! Error: Invalid option yes
!
! Usage: esxcli network ip ipsec sp remove [cmd options]
!
! Description:
!   remove                Remove Security Policies: one by name, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Policy.
!   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 1

$ ipsec6 sp add -s any -d any -w in -A ipsec -a sa_1 -n sp_1 --dangling=yes
! Error: '--dangling' is a flag and cannot accept any values.
!
! Usage: ipsec6 sp add [cmd options]
!
! Description:
!   add                   Add a Security Policy. Policies are matched in the order
!                         they were added; the first match wins.
!
! Cmd options:
!   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
!                         as it is), discard (drop it) or ipsec (protect it with a
!                         Security Association). (required)
!   --dangling            With --sa-name: the Security Association need not exist
!                         yet; until it does, the policy discards its traffic.
!   -t|--destination-port=<str>
!                         Destination port, 0-65535 or any (the default); with
!                         icmp6, the ICMPv6 type.
!   -w|--flow-direction=<str>
!                         Direction of the traffic: in or out. (required)
!   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
!                         only). Without it, each packet uses the first SA whose
!                         addresses and mode match.
!   -o|--source-port=<str>
!                         Source port, 0-65535 or any (the default); not used with
!                         icmp6.
!   -d|--sp-destination=<str>
!                         Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
!                         mode of the Security Association, else transport).
!   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
!                         A-Za-z0-9_.-. (required)
!   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   -P|--upper-layer-protocol=<str>
!                         Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
? 1

# remove: exactly one of --remove-all and --sa-name; the auto form needs its tuple.
$ esxcli network ip ipsec sa remove
! Error: Exactly one of -a|--remove-all and -n|--sa-name is required
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove --remove-all --sa-name sa_1
! Error: Exactly one of -a|--remove-all and -n|--sa-name is required
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove --sa-name auto
! Error: Missing required parameter -d|--sa-destination
!        Missing required parameter -s|--sa-source
!        Missing required parameter -p|--sa-spi
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove --sa-name auto --sa-spi 0x1000
! Error: Missing required parameter -d|--sa-destination
!        Missing required parameter -s|--sa-source
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove --sa-name sa_1 --sa-source any
! Error: -s|--sa-source is only valid with -n|--sa-name auto
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sa remove --remove-all --sa-spi 0x1000
! Error: -p|--sa-spi is only valid with -n|--sa-name auto
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

$ esxcli network ip ipsec sp remove
! Error: Exactly one of -a|--remove-all and -n|--sp-name is required
!
! Usage: esxcli network ip ipsec sp remove [cmd options]
!
! Description:
!   remove                Remove Security Policies: one by name, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Policy.
!   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 1

$ esxcli network ip ipsec sp remove --remove-all --sp-name sp_1
! Error: Exactly one of -a|--remove-all and -n|--sp-name is required
!
! Usage: esxcli network ip ipsec sp remove [cmd options]
!
! Description:
!   remove                Remove Security Policies: one by name, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Policy.
!   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 1

# A key on the command line and in a file.
%file k
< 0x6970763672656164796c6f67736861316f757432
$ ipsec6 sa add -n sa_1 -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --integrity-key-file k
! Error: -K|--integrity-key and --integrity-key-file cannot be used together
!
! Usage: ipsec6 sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --added=<long>        When the SA was added, in seconds since 1970 (UTC);
!                         default now. ipsec6d writes it into its configuration
!                         file for SAs with a time limit, so that their age
!                         survives restarts.
!   --byte-hard=<long>    Hard lifetime in bytes protected and accepted (before
!                         ESP), counted since the SA was added: once reached, the
!                         SA carries no more traffic in either direction.
!   --byte-soft=<long>    Soft lifetime in bytes: once reached, an event and a log
!                         line; nothing else changes.
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   --encryption-key-file=<str>
!                         Read the encryption key from this file (one line), so
!                         that it does not appear in the process list.
!   --esn                 Extended sequence numbers (RFC 4303 section 2.2.1):
!                         64-bit sequence numbers whose high half is authenticated
!                         but never sent, so that a manually keyed SA never runs
!                         out of them. Both peers must agree. Without it an SA
!                         stops sending at 2^32 - 1 packets.
!   --grace-period=<long>
!                         With --retired: how many seconds after it was retired
!                         the SA still accepts inbound packets. ipsec6d writes it
!                         into its configuration file.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   --integrity-key-file=<str>
!                         Read the integrity key from this file (one line), so
!                         that it does not appear in the process list.
!   --packet-hard=<long>  Hard lifetime in packets protected and accepted, counted
!                         since the SA was added: once reached, the SA carries no
!                         more traffic in either direction.
!   --packet-soft=<long>  Soft lifetime in packets: once reached, an event and a
!                         log line; nothing else changes.
!   --replay-window=<long>
!                         Anti-replay window in packets, 32-65536 (default 64).
!   --retired=<long>      The SA was replaced by `sa rekey` at this time, in
!                         seconds since 1970 (UTC): it sends nothing and accepts
!                         inbound packets for --grace-period seconds from then.
!                         ipsec6d writes it into its configuration file, so that a
!                         restart keeps the grace.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --time-hard=<long>    Hard lifetime in seconds since the SA was added: once
!                         reached, the SA carries no more traffic in either
!                         direction; it stays listed until replaced or removed.
!   --time-soft=<long>    Soft lifetime in seconds since the SA was added: once
!                         reached, an event and a log line; nothing else changes.
? 1

# Native options are not esxcli's.
$ esxcli network ip ipsec sp add -s any -d any -w in -A ipsec -a sa_1 -n sp_1 --dangling
! Error: Invalid option --dangling
!
! Usage: esxcli network ip ipsec sp add [cmd options]
!
! Description:
!   add                   Add a Security Policy. Policies are matched in the order
!                         they were added; the first match wins.
!
! Cmd options:
!   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
!                         as it is), discard (drop it) or ipsec (protect it with a
!                         Security Association). (required)
!   -t|--destination-port=<str>
!                         Destination port, 0-65535 or any (the default); with
!                         icmp6, the ICMPv6 type.
!   -w|--flow-direction=<str>
!                         Direction of the traffic: in or out. (required)
!   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
!                         only). Without it, each packet uses the first SA whose
!                         addresses and mode match.
!   -o|--source-port=<str>
!                         Source port, 0-65535 or any (the default); not used with
!                         icmp6.
!   -d|--sp-destination=<str>
!                         Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
!                         mode of the Security Association, else transport).
!   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
!                         A-Za-z0-9_.-. (required)
!   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   -P|--upper-layer-protocol=<str>
!                         Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
? 1

$ esxcli network ip ipsec sa add --replay-window 64
! Error: Invalid option --replay-window
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

$ ipsec6 sa add --replay-window
! Error: --replay-window must have value
!
! Usage: ipsec6 sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --added=<long>        When the SA was added, in seconds since 1970 (UTC);
!                         default now. ipsec6d writes it into its configuration
!                         file for SAs with a time limit, so that their age
!                         survives restarts.
!   --byte-hard=<long>    Hard lifetime in bytes protected and accepted (before
!                         ESP), counted since the SA was added: once reached, the
!                         SA carries no more traffic in either direction.
!   --byte-soft=<long>    Soft lifetime in bytes: once reached, an event and a log
!                         line; nothing else changes.
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   --encryption-key-file=<str>
!                         Read the encryption key from this file (one line), so
!                         that it does not appear in the process list.
!   --esn                 Extended sequence numbers (RFC 4303 section 2.2.1):
!                         64-bit sequence numbers whose high half is authenticated
!                         but never sent, so that a manually keyed SA never runs
!                         out of them. Both peers must agree. Without it an SA
!                         stops sending at 2^32 - 1 packets.
!   --grace-period=<long>
!                         With --retired: how many seconds after it was retired
!                         the SA still accepts inbound packets. ipsec6d writes it
!                         into its configuration file.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   --integrity-key-file=<str>
!                         Read the integrity key from this file (one line), so
!                         that it does not appear in the process list.
!   --packet-hard=<long>  Hard lifetime in packets protected and accepted, counted
!                         since the SA was added: once reached, the SA carries no
!                         more traffic in either direction.
!   --packet-soft=<long>  Soft lifetime in packets: once reached, an event and a
!                         log line; nothing else changes.
!   --replay-window=<long>
!                         Anti-replay window in packets, 32-65536 (default 64).
!   --retired=<long>      The SA was replaced by `sa rekey` at this time, in
!                         seconds since 1970 (UTC): it sends nothing and accepts
!                         inbound packets for --grace-period seconds from then.
!                         ipsec6d writes it into its configuration file, so that a
!                         restart keeps the grace.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --time-hard=<long>    Hard lifetime in seconds since the SA was added: once
!                         reached, the SA carries no more traffic in either
!                         direction; it stays listed until replaced or removed.
!   --time-soft=<long>    Soft lifetime in seconds since the SA was added: once
!                         reached, an event and a log line; nothing else changes.
? 1

# Namespaces and global options.
$ esxcli network ip ipsec sa foo
! Error: Unknown command or namespace network ip ipsec sa foo
!
! Usage: esxcli network ip ipsec sa {cmd} [cmd options]
!
! Available Commands:
!   add                   Add a Security Association.
!   list                  List the Security Associations, in the order they were
!                         added. Keys are never listed.
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
? 1

# An option where a namespace is due is named, never its value: a key must not be printed.
$ esxcli network ip --encryption-key=SECRETKEY0123 ipsec sa list
! Error: Invalid option --encryption-key
!
! Usage: esxcli network ip {cmd} [cmd options]
!
! Available Namespaces:
!   ipsec                 IPsec for IPv6: Security Associations and Security
!                         Policies with manual keys.
? 1

$ esxcli network ipx
! Error: Unknown command or namespace network ipx
!
! Usage: esxcli network {cmd} [cmd options]
!
! Available Namespaces:
!   ip                    Operations on the IP stack; ipsec6 provides its IPsec
!                         part.
? 1

$ esxcli sa list
! Error: Unknown command or namespace sa
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli network ip ipsec sa --list
! Error: Invalid option --list
!
! Usage: esxcli network ip ipsec sa {cmd} [cmd options]
!
! Available Commands:
!   add                   Add a Security Association.
!   list                  List the Security Associations, in the order they were
!                         added. Keys are never listed.
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
? 1

$ esxcli --foo network ip ipsec sa list
! Error: Invalid option --foo
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --socket=run/ipsec6.sock network ip ipsec sa list
! Error: Invalid option --socket
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli -f batch.conf
! Error: Invalid option -f
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --debug --debug network ip ipsec sa list
! Error: Duplicated option --debug
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ ipsec6 --screen-width=abc sa list
! Error: Invalid screen width 'abc': use a number of columns, 1-10000
!
! Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
!        ipsec6 [options] {cmd}
!        ipsec6 [options] -f FILE
!
! Options:
!   -f|--file=<str>       Apply the commands in this file (- for standard input),
!                         one per line as ipsec6 save prints them, as one
!                         transaction: all of them or none.
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
!                         /run/ipsec6/ipsec6.sock).
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
!   hosts                 The hosts this one manages, for --vihost: its inventory
!                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
!
! Available Commands:
!   save                  Print the configuration, keys included, one command per
!                         line: the file format that ipsec6 -f reads.
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
!   monitor               Print ipsec6d's events as they happen, one line each,
!                         until interrupted: SAs and policies added, removed and
!                         replaced, reloads, lifetimes reached, drops (at most one
!                         line per SA and reason a second) and the daemon's stop.
!                         --formatter=json prints one JSON object per line.
? 1

$ ipsec6 --screen-width=0 sa list
! Error: Invalid screen width '0': use a number of columns, 1-10000
!
! Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
!        ipsec6 [options] {cmd}
!        ipsec6 [options] -f FILE
!
! Options:
!   -f|--file=<str>       Apply the commands in this file (- for standard input),
!                         one per line as ipsec6 save prints them, as one
!                         transaction: all of them or none.
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
!                         /run/ipsec6/ipsec6.sock).
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
!   hosts                 The hosts this one manages, for --vihost: its inventory
!                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
!
! Available Commands:
!   save                  Print the configuration, keys included, one command per
!                         line: the file format that ipsec6 -f reads.
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
!   monitor               Print ipsec6d's events as they happen, one line each,
!                         until interrupted: SAs and policies added, removed and
!                         replaced, reloads, lifetimes reached, drops (at most one
!                         line per SA and reason a second) and the daemon's stop.
!                         --formatter=json prints one JSON object per line.
? 1

$ ipsec6 export
! Error: Unknown command or namespace export
!
! Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
!        ipsec6 [options] {cmd}
!        ipsec6 [options] -f FILE
!
! Options:
!   -f|--file=<str>       Apply the commands in this file (- for standard input),
!                         one per line as ipsec6 save prints them, as one
!                         transaction: all of them or none.
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
!                         /run/ipsec6/ipsec6.sock).
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
!   hosts                 The hosts this one manages, for --vihost: its inventory
!                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
!
! Available Commands:
!   save                  Print the configuration, keys included, one command per
!                         line: the file format that ipsec6 -f reads.
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
!   monitor               Print ipsec6d's events as they happen, one line each,
!                         until interrupted: SAs and policies added, removed and
!                         replaced, reloads, lifetimes reached, drops (at most one
!                         line per SA and reason a second) and the daemon's stop.
!                         --formatter=json prints one JSON object per line.
? 1

# Nothing above reached the daemon.
$ ipsec6 sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By  State  Encapsulation
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------  -----  -------------
? 0

$ ipsec6 sp list
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0
