# Gatehouse CONNECT (HTTPS tunnelling) for a standalone Jetty 12 base, next to target/gatehouse.war.
# A WAR never receives CONNECT: Jetty answers it at server level. This module installs Gatehouse's
# CONNECT handler there, with the same policy as the embedded server (ACL, proxy authentication,
# rate limit, connect.allowed-ports, domain lists, SSRF guard). See docs/deployment.md.
#
#   cp -r etc/jetty-base/* $JETTY_BASE/
#   mkdir -p $JETTY_BASE/lib/gatehouse && cp target/jetty-module/lib/*.jar $JETTY_BASE/lib/gatehouse/
#   cd $JETTY_BASE && java -jar $JETTY_HOME/start.jar --add-modules=gatehouse-connect

[description]
Gatehouse CONNECT handler at server level (HTTPS tunnelling for the Gatehouse WAR).

[tags]
handler
gatehouse

[depend]
server
client

[lib]
lib/gatehouse/*.jar

[xml]
etc/gatehouse-connect.xml

[ini-template]
## The Gatehouse properties file (the one the WAR reads). Empty: the system property
## gatehouse.config, then the GATEHOUSE_CONFIG environment variable, then the defaults.
# gatehouse.config=/etc/gatehouse/gatehouse.properties
