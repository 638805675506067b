# Every command of VMware's "Setting Up IPsec" page as the page writes it, in the page's order:
# its remove commands spell the flag --removeall (esxcli's is --remove-all), for SAs and for
# policies (the latter in the doc form without "sp"). Both spellings are read; help shows
# --remove-all only.

$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sa-name=sa_2 --sp-name sp_2
? 0

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

# The page removes one SA by name, and then all of them; a policy that uses the SA keeps it.
$ esxcli network ip ipsec sa remove --sa-name sa_2
! SA 'sa_2' is in use by policy: sp_2
? 1

$ esxcli network ip ipsec sa remove --removeall
? 0

$ esxcli network ip ipsec sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

# The policy that named the SA stays (it protects nothing: its traffic is discarded).
$ esxcli network ip ipsec sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport  sa_2
? 0

# The page removes one policy by name, and then all of them, without "sp".
$ esxcli network ip ipsec sp remove --sp-name sp_2
? 0

$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2
? 0

$ esxcli network ip ipsec remove --removeall
? 0

$ esxcli network ip ipsec list
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0

# With "sp", and as ipsec6.
$ esxcli network ip ipsec sp remove --removeall
? 0

$ ipsec6 sa remove --removeall
? 0

$ ipsec6 network ip ipsec remove --removeall
? 0

# The page's spelling follows esxcli's rules like the other: a flag, not repeated, not with
# --sa-name.
$ esxcli network ip ipsec sa remove --removeall=yes
! Error: '--removeall' is a flag and cannot accept any values.
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

$ esxcli network ip ipsec sa remove --remove-all --removeall
! Error: Duplicated option --removeall
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

$ esxcli network ip ipsec sp remove --removeall --sp-name sp_2
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

$ esxcli network ip ipsec sa remove --removeal
! Error: Invalid option --removeal
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

# In a batch file (the configuration grammar reads it too).
%file page.conf
< sp remove --removeall
< sa remove --removeall
$ ipsec6 -f page.conf
? 0

# Help shows esxcli's spelling only.
$ esxcli network ip ipsec sa remove --help
| Usage: esxcli network ip ipsec sa remove [cmd options]
|
| Description:
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Association, in use or not; the
|                         policies that used them then discard their traffic.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, to
|                         remove an auto SA.
|   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
|                         name it by --sa-source, --sa-destination and --sa-spi.
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
|                         remove an auto SA.
|   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
|                         (hex), to remove an auto SA.
? 0

$ esxcli network ip ipsec remove --help
| Usage: esxcli network ip ipsec remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0
