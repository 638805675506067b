# Values are the daemon's to check: its one-line reason is printed as it is (no "Error: ",
# no help), exit status 1, and nothing changes.

$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sa-name sa_2 --sp-name sp_2
? 0

# Addresses: IPv4 in every form is refused; so are malformed ones.
$ esxcli network ip ipsec sa add -s 192.0.2.1 -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '192.0.2.1' is an IPv4 address: only IPv6 is supported
? 1

$ esxcli network ip ipsec sa add -s any -d ::ffff:192.0.2.1 -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '::ffff:192.0.2.1' is an IPv4-mapped address: only IPv6 is supported
? 1

$ esxcli network ip ipsec sa add -s any -d ::FFFF:C000:0201 -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '::FFFF:C000:0201' is an IPv4-mapped address: only IPv6 is supported
? 1

$ esxcli network ip ipsec sa add -s ::192.0.2.1 -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '::192.0.2.1' is an IPv4-compatible address: only IPv6 is supported
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::g -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '2001:db8::g' is not a valid IPv6 address
? 1

$ esxcli network ip ipsec sa add -s 2001:db8:::1 -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '2001:db8:::1' is not a valid IPv6 address
? 1

$ esxcli network ip ipsec sa add -s fe80::1%eth0 -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! 'fe80::1%eth0' has a zone index: zone indices are not supported
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::/64 -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '2001:db8::/64' is not a valid IPv6 address
? 1

$ esxcli network ip ipsec sa add -s '' -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! '' is not a valid IPv6 address: the address is empty
? 1

# SPIs: 0x0 and 0x1-0xff are reserved; 0x and hex only; 32 bits.
$ esxcli network ip ipsec sa add -s any -d any -p 0x0 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! SPI '0x0' is reserved (RFC 4303 section 2.1)
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x1 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! SPI '0x1' is reserved (0x1-0xff)
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0xff -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! SPI '0xff' is reserved (0x1-0xff)
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 256 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid SPI '256': use 0x and hexadecimal digits
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x100000000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! SPI '0x100000000' is too large (at most 0xffffffff)
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0xzz -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid SPI '0xzz': use 0x and hexadecimal digits
? 1

# Algorithms.
$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e des-cbc -k 0x0011223344556677 -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid encryption algorithm 'des-cbc': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e AES128-CBC -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid encryption algorithm 'AES128-CBC': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i null -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! integrity algorithm cannot be null
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-md5 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid integrity algorithm 'hmac-md5': use hmac-sha1, hmac-sha2-256, hmac-sha2-384 or hmac-sha2-512
? 1

# Key lengths, hex and ASCII: 3des-cbc 24 bytes, aes128-cbc 16, hmac-sha1 20, hmac-sha2-256 32.
$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e 3des-cbc -k 0x6970763672656164796c6f676f3364657363626300757 -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key has an odd number of hex digits
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e 3des-cbc -k 0x6970763672656164796c6f676f336465736362636f7574 -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 23 bytes, 3des-cbc needs 24
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e 3des-cbc -k ipv6readylogo3descbcout -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 23 bytes, 3des-cbc needs 24
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e 3des-cbc -k ipv6readylogo3descbcout12 -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 25 bytes, 3des-cbc needs 24
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff00 -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 17 bytes, aes128-cbc needs 16
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e aes128-cbc -k fifteen-bytes.. -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 15 bytes, aes128-cbc needs 16
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f7574 -n sa_x
! integrity key is 19 bytes, hmac-sha1 needs 20
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K ipv6readylogsha1out21 -n sa_x
! integrity key is 21 bytes, hmac-sha1 needs 20
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha2-256 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! integrity key is 20 bytes, hmac-sha2-256 needs 32
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha2-256 -K thirty-one-bytes-of-ascii-text! -n sa_x
! integrity key is 31 bytes, hmac-sha2-256 needs 32
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f75743 -n sa_x
! integrity key has an odd number of hex digits
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f7574zz -n sa_x
! integrity key is not valid hex: only 0-9 and a-f may follow 0x
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x -n sa_x
! integrity key has no hex digits after 0x
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! null encryption takes no key
? 1

# Mode and names.
$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -m beet -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid SA mode 'beet': use transport or tunnel
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n 'sa 2'
! invalid SA name 'sa 2': use 1-64 of A-Za-z0-9_.-
? 1

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n auto
! 'auto' is reserved and cannot be an SA name
? 1

# 64 characters is the longest name.
$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n a123456789012345678901234567890123456789012345678901234567890123
? 0

$ esxcli network ip ipsec sa add -s any -d any -p 0x2001 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n a1234567890123456789012345678901234567890123456789012345678901234
! invalid SA name 'a1234567890123456789012345678901234567890123456789012345678901234': use 1-64 of A-Za-z0-9_.-
? 1

$ esxcli network ip ipsec sa remove -n a123456789012345678901234567890123456789012345678901234567890123
? 0

$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --sa-name=
! invalid SA name '': use 1-64 of A-Za-z0-9_.-
? 1

# Duplicates: the name, and (source, destination, SPI) under another name.
$ esxcli network ip ipsec sa add -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_2
! SA 'sa_2' already exists
? 1

$ esxcli network ip ipsec sa add -s 3ffe:501:ffff::a -d 3ffe:501:ffff:1::a -p 0x1000 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_3
! an SA with source 3ffe:501:ffff::a, destination 3ffe:501:ffff:1::a and SPI 0x1000 already exists
? 1

# sa remove.
$ esxcli network ip ipsec sa remove --sa-name sa_9
! SA 'sa_9' does not exist
? 1

$ esxcli network ip ipsec sa remove --sa-name sa_2
! SA 'sa_2' is in use by policy: sp_2
? 1

$ esxcli network ip ipsec sa remove --sa-name 'bad name'
! invalid SA name 'bad name': use 1-64 of A-Za-z0-9_.-
? 1

$ esxcli network ip ipsec sa remove --sa-name auto --sa-source any --sa-destination any --sa-spi 0x10
! SPI '0x10' is reserved (0x1-0xff)
? 1

$ esxcli network ip ipsec sa remove --sa-name auto --sa-source 192.0.2.1 --sa-destination any --sa-spi 0x1000
! '192.0.2.1' is an IPv4 address: only IPv6 is supported
? 1

# sp add: prefixes.
$ esxcli network ip ipsec sp add -s 2001:db8::1 -d any -w out -A none -n sp_x
! '2001:db8::1' has no prefix length: write ADDR/LEN (/128 for one address) or any
? 1

$ esxcli network ip ipsec sp add -s 2001:db8::/129 -d any -w out -A none -n sp_x
! '2001:db8::/129': prefix length must be 0-128
? 1

$ esxcli network ip ipsec sp add -s 2001:db8::1/32 -d any -w out -A none -n sp_x
! '2001:db8::1/32' has bits set beyond the /32 prefix (did you mean 2001:db8::/32?)
? 1

$ esxcli network ip ipsec sp add -s any -d 10.0.0.0/8 -w out -A none -n sp_x
! '10.0.0.0/8' is an IPv4 prefix: only IPv6 is supported
? 1

$ esxcli network ip ipsec sp add -s any -d ::ffff:0:0/96 -w out -A none -n sp_x
! '::ffff:0:0/96' is an IPv4-mapped prefix: only IPv6 is supported
? 1

$ esxcli network ip ipsec sp add -s 2001:db8::/064 -d any -w out -A none -n sp_x
! '2001:db8::/064': prefix length must be 0-128, without leading zeros
? 1

# Ports and protocols.
$ esxcli network ip ipsec sp add -s any -d any -P tcp -o 65536 -w out -A none -n sp_x
! invalid source port '65536': use 0-65535 or any
? 1

$ esxcli network ip ipsec sp add -s any -d any -P udp -t http -w out -A none -n sp_x
! invalid destination port 'http': use 0-65535 or any
? 1

$ esxcli network ip ipsec sp add -s any -d any -o 23 -w out -A none -n sp_x
! ports need --upper-layer-protocol tcp or udp
? 1

$ esxcli network ip ipsec sp add -s any -d any -P icmp6 -o 1 -w out -A none -n sp_x
! --source-port is not used with icmp6
? 1

$ esxcli network ip ipsec sp add -s any -d any -P icmp6 -t 256 -w out -A none -n sp_x
! ICMPv6 type '256' must be 0-255
? 1

$ esxcli network ip ipsec sp add -s any -d any -P sctp -w out -A none -n sp_x
! invalid upper layer protocol 'sctp': use any, tcp, udp or icmp6
? 1

# Direction, action, mode.
$ esxcli network ip ipsec sp add -s any -d any -w both -A none -n sp_x
! invalid flow direction 'both': use in or out
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A allow -n sp_x
! invalid action 'allow': use none, discard or ipsec
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A ipsec -m beet -n sp_x
! invalid SP mode 'beet': use transport or tunnel
? 1

# --sa-name only with action ipsec; the SA must exist and its mode must match.
$ esxcli network ip ipsec sp add -s any -d any -w out -A discard -a sa_2 -n sp_x
! --sa-name is only allowed with --action=ipsec
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A none -a sa_2 -n sp_x
! --sa-name is only allowed with --action=ipsec
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A ipsec -a sa_9 -n sp_x
! SA 'sa_9' does not exist
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A ipsec -a auto -n sp_x
! 'auto' is reserved and cannot be an SA name
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A ipsec -m tunnel -a sa_2 -n sp_x
! policy mode 'tunnel' does not match SA 'sa_2' (transport)
? 1

# Policy names.
$ esxcli network ip ipsec sp add -s any -d any -w out -A none -n sp_2
! policy 'sp_2' already exists
? 1

$ esxcli network ip ipsec sp add -s any -d any -w out -A none -n 'sp/x'
! invalid policy name 'sp/x': use 1-64 of A-Za-z0-9_.-
? 1

$ esxcli network ip ipsec sp remove -n sp_9
! policy 'sp_9' does not exist
? 1

$ ipsec6 sp add -s any -d any -w out -A ipsec -n sp_x --dangling
! --dangling requires -a|--sa-name
? 1

# Nothing changed.
$ esxcli network ip ipsec sa list
| Name  Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2  3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_2
? 0

$ esxcli network ip ipsec sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport  sa_2
? 0
