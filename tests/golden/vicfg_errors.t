# vicfg-ipsec's syntax errors: "Error: " and the message, a blank line, its help; exit 1.

$ vicfg-ipsec
! Error: Specify one operation: --add-sa, --remove-sa, --list-sa, --flush-sa, --add-sp, --remove-sp, --list-sp or --flush-sp
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --list-sa
! Error: --add-sa and --list-sa cannot be used together
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa
! Error: Missing required parameter --sa-src
!        Missing required parameter --sa-dst
!        Missing required parameter --spi
!        Missing required parameter --ealgo
!        Missing required parameter --ialgo
!        Missing required parameter --ikey
!        Missing required parameter <sa_name>
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432
! Error: Missing required parameter <sa_name>
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0x1000 --ealgo aes128-cbc --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: Missing required parameter --ekey
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 --sp-src any sa_1
! Error: --sp-src cannot be used with --add-sa
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0x1000 --spi 0x1001 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: Duplicated option --spi
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa --sa-src --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: --sa-src must have value
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sa -s any --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: Invalid option -s
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --add-sp --sp-src any --sp-dst any sp_1
! Error: Missing required parameter --dir
!        Missing required parameter --action
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --remove-sa
! Error: Missing required parameter <sa_name>
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --remove-sa sa_1 sa_2
! Error: Invalid option sa_1
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --remove-sa=sa_1
! Error: '--remove-sa' is a flag and cannot accept any values.
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --list-sa extra
! Error: Invalid option extra
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --list-sp --spi 0x1000
! Error: --spi cannot be used with --list-sp
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --flush-sa=yes
! Error: '--flush-sa' is a flag and cannot accept any values.
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --flush-sp --foo
! Error: Invalid option --foo
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

# esxcli's option names are not vicfg-ipsec's.
$ vicfg-ipsec --add-sa --sa-source any --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_1
! Error: Invalid option --sa-source
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

$ vicfg-ipsec --formatter=xml --list-sa
! Error: Invalid option --formatter
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

# Nothing above changed anything.
$ vicfg-ipsec --list-sa
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

$ vicfg-ipsec --list-sp
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0
