# Every formatter on empty lists and on lists with several records: an SA used by two
# policies (a comma in CSV), "any" addresses and ports, tunnel mode, an ICMPv6 type. No
# formatter ever prints a key.

$ esxcli network ip ipsec sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

$ esxcli --formatter=xml network ip ipsec sa list
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <list type="structure">
|    </list>
| </root>
| </output>
? 0

$ esxcli --formatter=csv network ip ipsec sa list
| Name,Source,Destination,SPI,Mode,Encryption Algorithm,Integrity Algorithm,Used By
? 0

$ esxcli --formatter=keyvalue network ip ipsec sa list
? 0

$ esxcli --formatter=json network ip ipsec sa list
| []
? 0

$ esxcli network ip ipsec sp list
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0

$ esxcli --formatter=xml network ip ipsec sp list
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <list type="structure">
|    </list>
| </root>
| </output>
? 0

$ esxcli --formatter=csv network ip ipsec sp list
| Name,Source,Destination,Source Port,Destination Port,Upper Layer Protocol,Direction,Action,Mode,SA Name
? 0

$ esxcli --formatter=keyvalue network ip ipsec sp list
? 0

$ esxcli --formatter=json network ip ipsec sp list
| []
? 0

$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sa add -s any -d 2001:DB8::FFFF -p 0xFFFFFFFF -m tunnel -e aes128-cbc -k 'sixteen byte key' -i hmac-sha2-256 -K 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -n tunnel.sa-1
? 0

$ esxcli network ip ipsec sp add -s 3ffe:501:ffff::/64 -d 3ffe:501:ffff:1::/64 -P tcp -o 23 -t 25 -w out -A ipsec -a sa_2 -n telnet-out
? 0

$ esxcli network ip ipsec sp add -s 3ffe:501:ffff:1::/64 -d 3ffe:501:ffff::/64 -P icmp6 -t 128 -w in -A ipsec -a sa_2 -n ping-in
? 0

$ esxcli network ip ipsec sp add -s any -d 2001:db8::ffff/128 -w out -A ipsec -m tunnel -n to-tunnel
? 0

$ esxcli network ip ipsec sp add -s any -d any -w in -A discard -n drop-rest
? 0

$ esxcli network ip ipsec sp add -s fe80::/10 -d any -w out -A none -n link-local
? 0

$ esxcli network ip ipsec sa list
| Name         Source            Destination         SPI         Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -----------  ----------------  ------------------  ----------  ---------  --------------------  -------------------  ------------------
| sa_2         3ffe:501:ffff::a  3ffe:501:ffff:1::a      0x1000  transport  3des-cbc              hmac-sha1            telnet-out,ping-in
| tunnel.sa-1  any               2001:db8::ffff      0xffffffff  tunnel     aes128-cbc            hmac-sha2-256
? 0

$ esxcli --formatter=xml network ip ipsec sa list
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <list type="structure">
|       <structure typeName="IPsecSA">
|          <field name="Name">
|             <string>sa_2</string>
|          </field>
|          <field name="Source">
|             <string>3ffe:501:ffff::a</string>
|          </field>
|          <field name="Destination">
|             <string>3ffe:501:ffff:1::a</string>
|          </field>
|          <field name="SPI">
|             <string>0x1000</string>
|          </field>
|          <field name="Mode">
|             <string>transport</string>
|          </field>
|          <field name="EncryptionAlgorithm">
|             <string>3des-cbc</string>
|          </field>
|          <field name="IntegrityAlgorithm">
|             <string>hmac-sha1</string>
|          </field>
|          <field name="UsedBy">
|             <string>telnet-out,ping-in</string>
|          </field>
|       </structure>
|       <structure typeName="IPsecSA">
|          <field name="Name">
|             <string>tunnel.sa-1</string>
|          </field>
|          <field name="Source">
|             <string>any</string>
|          </field>
|          <field name="Destination">
|             <string>2001:db8::ffff</string>
|          </field>
|          <field name="SPI">
|             <string>0xffffffff</string>
|          </field>
|          <field name="Mode">
|             <string>tunnel</string>
|          </field>
|          <field name="EncryptionAlgorithm">
|             <string>aes128-cbc</string>
|          </field>
|          <field name="IntegrityAlgorithm">
|             <string>hmac-sha2-256</string>
|          </field>
|          <field name="UsedBy">
|             <string></string>
|          </field>
|       </structure>
|    </list>
| </root>
| </output>
? 0

$ esxcli --formatter=csv network ip ipsec sa list
| Name,Source,Destination,SPI,Mode,Encryption Algorithm,Integrity Algorithm,Used By
| sa_2,3ffe:501:ffff::a,3ffe:501:ffff:1::a,0x1000,transport,3des-cbc,hmac-sha1,"telnet-out,ping-in"
| tunnel.sa-1,any,2001:db8::ffff,0xffffffff,tunnel,aes128-cbc,hmac-sha2-256,
? 0

$ esxcli --formatter=keyvalue network ip ipsec sa list
| IPsecSA.Name.string=sa_2
| IPsecSA.Source.string=3ffe:501:ffff::a
| IPsecSA.Destination.string=3ffe:501:ffff:1::a
| IPsecSA.SPI.string=0x1000
| IPsecSA.Mode.string=transport
| IPsecSA.EncryptionAlgorithm.string=3des-cbc
| IPsecSA.IntegrityAlgorithm.string=hmac-sha1
| IPsecSA.UsedBy.string=telnet-out,ping-in
|
| IPsecSA.Name.string=tunnel.sa-1
| IPsecSA.Source.string=any
| IPsecSA.Destination.string=2001:db8::ffff
| IPsecSA.SPI.string=0xffffffff
| IPsecSA.Mode.string=tunnel
| IPsecSA.EncryptionAlgorithm.string=aes128-cbc
| IPsecSA.IntegrityAlgorithm.string=hmac-sha2-256
| IPsecSA.UsedBy.string=
? 0

$ esxcli --formatter=json network ip ipsec sa list
| [{"Name": "sa_2", "Source": "3ffe:501:ffff::a", "Destination": "3ffe:501:ffff:1::a", "SPI": "0x1000", "Mode": "transport", "EncryptionAlgorithm": "3des-cbc", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "telnet-out,ping-in"}, {"Name": "tunnel.sa-1", "Source": "any", "Destination": "2001:db8::ffff", "SPI": "0xffffffff", "Mode": "tunnel", "EncryptionAlgorithm": "aes128-cbc", "IntegrityAlgorithm": "hmac-sha2-256", "UsedBy": ""}]
? 0

$ esxcli network ip ipsec sp list
| Name        Source                Destination           Source Port  Destination Port  Upper Layer Protocol  Direction  Action   Mode       SA Name
| ----------  --------------------  --------------------  -----------  ----------------  --------------------  ---------  -------  ---------  -------
| telnet-out  3ffe:501:ffff::/64    3ffe:501:ffff:1::/64           23                25  tcp                   out        ipsec    transport  sa_2
| ping-in     3ffe:501:ffff:1::/64  3ffe:501:ffff::/64            any               128  icmp6                 in         ipsec    transport  sa_2
| to-tunnel   any                   2001:db8::ffff/128            any               any  any                   out        ipsec    tunnel
| drop-rest   any                   any                           any               any  any                   in         discard  transport
| link-local  fe80::/10             any                           any               any  any                   out        none     transport
? 0

$ esxcli --formatter=xml network ip ipsec sp list
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <list type="structure">
|       <structure typeName="IPsecSP">
|          <field name="Name">
|             <string>telnet-out</string>
|          </field>
|          <field name="Source">
|             <string>3ffe:501:ffff::/64</string>
|          </field>
|          <field name="Destination">
|             <string>3ffe:501:ffff:1::/64</string>
|          </field>
|          <field name="SourcePort">
|             <string>23</string>
|          </field>
|          <field name="DestinationPort">
|             <string>25</string>
|          </field>
|          <field name="UpperLayerProtocol">
|             <string>tcp</string>
|          </field>
|          <field name="Direction">
|             <string>out</string>
|          </field>
|          <field name="Action">
|             <string>ipsec</string>
|          </field>
|          <field name="Mode">
|             <string>transport</string>
|          </field>
|          <field name="SAName">
|             <string>sa_2</string>
|          </field>
|       </structure>
|       <structure typeName="IPsecSP">
|          <field name="Name">
|             <string>ping-in</string>
|          </field>
|          <field name="Source">
|             <string>3ffe:501:ffff:1::/64</string>
|          </field>
|          <field name="Destination">
|             <string>3ffe:501:ffff::/64</string>
|          </field>
|          <field name="SourcePort">
|             <string>any</string>
|          </field>
|          <field name="DestinationPort">
|             <string>128</string>
|          </field>
|          <field name="UpperLayerProtocol">
|             <string>icmp6</string>
|          </field>
|          <field name="Direction">
|             <string>in</string>
|          </field>
|          <field name="Action">
|             <string>ipsec</string>
|          </field>
|          <field name="Mode">
|             <string>transport</string>
|          </field>
|          <field name="SAName">
|             <string>sa_2</string>
|          </field>
|       </structure>
|       <structure typeName="IPsecSP">
|          <field name="Name">
|             <string>to-tunnel</string>
|          </field>
|          <field name="Source">
|             <string>any</string>
|          </field>
|          <field name="Destination">
|             <string>2001:db8::ffff/128</string>
|          </field>
|          <field name="SourcePort">
|             <string>any</string>
|          </field>
|          <field name="DestinationPort">
|             <string>any</string>
|          </field>
|          <field name="UpperLayerProtocol">
|             <string>any</string>
|          </field>
|          <field name="Direction">
|             <string>out</string>
|          </field>
|          <field name="Action">
|             <string>ipsec</string>
|          </field>
|          <field name="Mode">
|             <string>tunnel</string>
|          </field>
|          <field name="SAName">
|             <string></string>
|          </field>
|       </structure>
|       <structure typeName="IPsecSP">
|          <field name="Name">
|             <string>drop-rest</string>
|          </field>
|          <field name="Source">
|             <string>any</string>
|          </field>
|          <field name="Destination">
|             <string>any</string>
|          </field>
|          <field name="SourcePort">
|             <string>any</string>
|          </field>
|          <field name="DestinationPort">
|             <string>any</string>
|          </field>
|          <field name="UpperLayerProtocol">
|             <string>any</string>
|          </field>
|          <field name="Direction">
|             <string>in</string>
|          </field>
|          <field name="Action">
|             <string>discard</string>
|          </field>
|          <field name="Mode">
|             <string>transport</string>
|          </field>
|          <field name="SAName">
|             <string></string>
|          </field>
|       </structure>
|       <structure typeName="IPsecSP">
|          <field name="Name">
|             <string>link-local</string>
|          </field>
|          <field name="Source">
|             <string>fe80::/10</string>
|          </field>
|          <field name="Destination">
|             <string>any</string>
|          </field>
|          <field name="SourcePort">
|             <string>any</string>
|          </field>
|          <field name="DestinationPort">
|             <string>any</string>
|          </field>
|          <field name="UpperLayerProtocol">
|             <string>any</string>
|          </field>
|          <field name="Direction">
|             <string>out</string>
|          </field>
|          <field name="Action">
|             <string>none</string>
|          </field>
|          <field name="Mode">
|             <string>transport</string>
|          </field>
|          <field name="SAName">
|             <string></string>
|          </field>
|       </structure>
|    </list>
| </root>
| </output>
? 0

$ esxcli --formatter=csv network ip ipsec sp list
| Name,Source,Destination,Source Port,Destination Port,Upper Layer Protocol,Direction,Action,Mode,SA Name
| telnet-out,3ffe:501:ffff::/64,3ffe:501:ffff:1::/64,23,25,tcp,out,ipsec,transport,sa_2
| ping-in,3ffe:501:ffff:1::/64,3ffe:501:ffff::/64,any,128,icmp6,in,ipsec,transport,sa_2
| to-tunnel,any,2001:db8::ffff/128,any,any,any,out,ipsec,tunnel,
| drop-rest,any,any,any,any,any,in,discard,transport,
| link-local,fe80::/10,any,any,any,any,out,none,transport,
? 0

$ esxcli --formatter=keyvalue network ip ipsec sp list
| IPsecSP.Name.string=telnet-out
| IPsecSP.Source.string=3ffe:501:ffff::/64
| IPsecSP.Destination.string=3ffe:501:ffff:1::/64
| IPsecSP.SourcePort.string=23
| IPsecSP.DestinationPort.string=25
| IPsecSP.UpperLayerProtocol.string=tcp
| IPsecSP.Direction.string=out
| IPsecSP.Action.string=ipsec
| IPsecSP.Mode.string=transport
| IPsecSP.SAName.string=sa_2
|
| IPsecSP.Name.string=ping-in
| IPsecSP.Source.string=3ffe:501:ffff:1::/64
| IPsecSP.Destination.string=3ffe:501:ffff::/64
| IPsecSP.SourcePort.string=any
| IPsecSP.DestinationPort.string=128
| IPsecSP.UpperLayerProtocol.string=icmp6
| IPsecSP.Direction.string=in
| IPsecSP.Action.string=ipsec
| IPsecSP.Mode.string=transport
| IPsecSP.SAName.string=sa_2
|
| IPsecSP.Name.string=to-tunnel
| IPsecSP.Source.string=any
| IPsecSP.Destination.string=2001:db8::ffff/128
| IPsecSP.SourcePort.string=any
| IPsecSP.DestinationPort.string=any
| IPsecSP.UpperLayerProtocol.string=any
| IPsecSP.Direction.string=out
| IPsecSP.Action.string=ipsec
| IPsecSP.Mode.string=tunnel
| IPsecSP.SAName.string=
|
| IPsecSP.Name.string=drop-rest
| IPsecSP.Source.string=any
| IPsecSP.Destination.string=any
| IPsecSP.SourcePort.string=any
| IPsecSP.DestinationPort.string=any
| IPsecSP.UpperLayerProtocol.string=any
| IPsecSP.Direction.string=in
| IPsecSP.Action.string=discard
| IPsecSP.Mode.string=transport
| IPsecSP.SAName.string=
|
| IPsecSP.Name.string=link-local
| IPsecSP.Source.string=fe80::/10
| IPsecSP.Destination.string=any
| IPsecSP.SourcePort.string=any
| IPsecSP.DestinationPort.string=any
| IPsecSP.UpperLayerProtocol.string=any
| IPsecSP.Direction.string=out
| IPsecSP.Action.string=none
| IPsecSP.Mode.string=transport
| IPsecSP.SAName.string=
? 0

$ esxcli --formatter=json network ip ipsec sp list
| [{"Name": "telnet-out", "Source": "3ffe:501:ffff::/64", "Destination": "3ffe:501:ffff:1::/64", "SourcePort": "23", "DestinationPort": "25", "UpperLayerProtocol": "tcp", "Direction": "out", "Action": "ipsec", "Mode": "transport", "SAName": "sa_2"}, {"Name": "ping-in", "Source": "3ffe:501:ffff:1::/64", "Destination": "3ffe:501:ffff::/64", "SourcePort": "any", "DestinationPort": "128", "UpperLayerProtocol": "icmp6", "Direction": "in", "Action": "ipsec", "Mode": "transport", "SAName": "sa_2"}, {"Name": "to-tunnel", "Source": "any", "Destination": "2001:db8::ffff/128", "SourcePort": "any", "DestinationPort": "any", "UpperLayerProtocol": "any", "Direction": "out", "Action": "ipsec", "Mode": "tunnel", "SAName": ""}, {"Name": "drop-rest", "Source": "any", "Destination": "any", "SourcePort": "any", "DestinationPort": "any", "UpperLayerProtocol": "any", "Direction": "in", "Action": "discard", "Mode": "transport", "SAName": ""}, {"Name": "link-local", "Source": "fe80::/10", "Destination": "any", "SourcePort": "any", "DestinationPort": "any", "UpperLayerProtocol": "any", "Direction": "out", "Action": "none", "Mode": "transport", "SAName": ""}]
? 0

# "table" names the default; the formatter does not change what add and remove print.
$ ipsec6 --formatter=table sa list
| Name         Source            Destination         SPI         Mode       Encryption Algorithm  Integrity Algorithm  Used By             State   Encapsulation
| -----------  ----------------  ------------------  ----------  ---------  --------------------  -------------------  ------------------  ------  -------------
| sa_2         3ffe:501:ffff::a  3ffe:501:ffff:1::a      0x1000  transport  3des-cbc              hmac-sha1            telnet-out,ping-in  mature  none
| tunnel.sa-1  any               2001:db8::ffff      0xffffffff  tunnel     aes128-cbc            hmac-sha2-256                            mature  none
? 0

$ ipsec6 --formatter json sp remove -n link-local
? 0

$ ipsec6 --formatter=csv sp list
| Name,Source,Destination,Source Port,Destination Port,Upper Layer Protocol,Direction,Action,Mode,SA Name
| telnet-out,3ffe:501:ffff::/64,3ffe:501:ffff:1::/64,23,25,tcp,out,ipsec,transport,sa_2
| ping-in,3ffe:501:ffff:1::/64,3ffe:501:ffff::/64,any,128,icmp6,in,ipsec,transport,sa_2
| to-tunnel,any,2001:db8::ffff/128,any,any,any,out,ipsec,tunnel,
| drop-rest,any,any,any,any,any,in,discard,transport,
? 0

$ ipsec6 --formatter=yaml sp list
! Error: Invalid formatter 'yaml': use xml, csv, keyvalue or json
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

$ esxcli --formatter network ip ipsec sa list
! Error: Invalid formatter 'network': use xml, csv, keyvalue or json
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

$ esxcli --formatter=json --formatter=xml network ip ipsec sa list
! Error: Duplicated option --formatter
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
