import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.slf4j.LoggerFactory;

/**
 * The JVM floor for bench/run.sh (anchor "jetty"): Jetty's own AsyncMiddleManServlet
 * (Transparent for reverse) and ConnectHandler with no customisation and no Gatehouse code, on
 * the Jetty version Gatehouse ships. Run with the Gatehouse jar as the class path:
 *
 *   java -cp target/gatehouse.jar bench/StockJetty.java reverse PORT http://127.0.0.1:ORIGIN
 *   java -cp target/gatehouse.jar bench/StockJetty.java forward PORT
 */
public class StockJetty
{
    public static void main(String[] args) throws Exception
    {
        ((Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder;
        if (args[0].equals("reverse"))
        {
            holder = new ServletHolder(AsyncMiddleManServlet.Transparent.class);
            holder.setInitParameter("proxyTo", args[2]);
        }
        else
        {
            holder = new ServletHolder(AsyncMiddleManServlet.class);
        }
        holder.setInitParameter("maxConnections", "1024");
        context.addServlet(holder, "/*");
        server.setHandler(new ConnectHandler(context));
        server.start();
        server.join();
    }
}
