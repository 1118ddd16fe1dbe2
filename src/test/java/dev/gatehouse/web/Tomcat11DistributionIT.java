package dev.gatehouse.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The WAR in the standalone Tomcat 11 distribution (Jakarta EE 11, Servlet 6.1). */
class Tomcat11DistributionIT extends TomcatDistribution
{
    @BeforeAll
    static void startTomcat() throws Exception
    {
        start("it.tomcat11.home", "apache-tomcat-11.0.25");
    }

    @AfterAll
    static void stopTomcat() throws Exception
    {
        stop();
    }
}
