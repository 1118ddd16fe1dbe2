package dev.gatehouse.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The WAR in the standalone Tomcat 10.1 distribution (Jakarta EE 10, Servlet 6.0). */
class Tomcat10DistributionIT extends TomcatDistribution
{
    @BeforeAll
    static void startTomcat() throws Exception
    {
        start("it.tomcat10.home", "apache-tomcat-10.1.59");
    }

    @AfterAll
    static void stopTomcat() throws Exception
    {
        stop();
    }
}
