package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The parts of Maven's {@code settings.xml} that decide where {@code %maven} downloads from: the
 * local repository, offline mode, mirrors and proxies. A user behind a company mirror or proxy has
 * them there already, and Maven reaches Central only through them; the kernel must go the same way
 * (and find what Maven downloaded in the same local repository) or it waits on a network it cannot use.
 *
 * <p>Read as Maven reads them: the global file ({@code $MAVEN_HOME/conf/settings.xml}, Debian's
 * {@code /etc/maven/settings.xml}) and then the user's ({@code ~/.m2/settings.xml}), the user's
 * entries first and its single values winning.
 */
record MavenSettings(Path localRepository, boolean offline, List<Mirror> mirrors, List<Proxy> proxies) {

    /** A {@code <mirror>}: {@code mirrorOf} as Maven writes it ({@code *}, {@code external:*}, {@code a,!b}). */
    record Mirror(String id, String url, String mirrorOf) {}

    /** An active {@code <proxy>}; {@code nonProxyHosts} is Maven's {@code |}-separated list. */
    record Proxy(String protocol, String host, int port, String username, String password, String nonProxyHosts) {}

    static final MavenSettings NONE = new MavenSettings(null, false, List.of(), List.of());

    /** The settings files Maven itself would read on this machine, global first. */
    static List<Path> standardFiles(Map<String, String> env, String userHome) {
        List<Path> files = new ArrayList<>();
        String mavenHome = env.getOrDefault("MAVEN_HOME", env.get("M2_HOME"));
        if (mavenHome != null && !mavenHome.isBlank()) {
            files.add(Path.of(mavenHome, "conf", "settings.xml"));
        } else {
            files.add(Path.of("/etc/maven/settings.xml")); // Debian's maven: /usr/share/maven/conf links here
        }
        files.add(Path.of(userHome, ".m2", "settings.xml"));
        return files;
    }

    static MavenSettings load() throws IOException {
        return read(standardFiles(System.getenv(), System.getProperty("user.home"))).withEnvironmentProxies(System.getenv());
    }

    /**
     * When settings name no proxy, the {@code https_proxy}/{@code http_proxy} variables that curl, pip
     * and npm follow (Maven does not, but a kernel started from such a shell is expected to).
     */
    MavenSettings withEnvironmentProxies(Map<String, String> env) {
        if (!proxies.isEmpty()) return this;
        String noProxy = env.getOrDefault("no_proxy", env.get("NO_PROXY"));
        List<Proxy> found = new ArrayList<>();
        for (String protocol : List.of("https", "http")) {
            String value = env.getOrDefault(protocol + "_proxy", env.get(protocol.toUpperCase() + "_PROXY"));
            if (value == null || value.isBlank()) continue;
            java.net.URI uri = java.net.URI.create(value.contains("://") ? value : "http://" + value);
            if (uri.getHost() == null) continue;
            String user = null, password = null;
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : null;
            }
            found.add(new Proxy(protocol, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, user, password,
                    nonProxyHosts(noProxy)));
        }
        return found.isEmpty() ? this : new MavenSettings(localRepository, offline, mirrors, List.copyOf(found));
    }

    /** {@code no_proxy}'s {@code a.com,.b.org} as Maven's {@code a.com|*.b.org|b.org}. */
    private static String nonProxyHosts(String noProxy) {
        if (noProxy == null || noProxy.isBlank()) return null;
        List<String> hosts = new ArrayList<>();
        for (String h : noProxy.split(",")) {
            h = h.trim();
            if (h.isEmpty()) continue;
            if (h.startsWith(".")) {
                hosts.add("*" + h);
                hosts.add(h.substring(1));
            } else {
                hosts.add(h);
            }
        }
        return String.join("|", hosts);
    }

    /** Merges the files that exist, later ones (the user's) taking precedence. */
    static MavenSettings read(List<Path> files) throws IOException {
        MavenSettings merged = NONE;
        for (Path file : files) {
            if (Files.isRegularFile(file)) merged = parse(file).over(merged);
        }
        return merged;
    }

    private MavenSettings over(MavenSettings lower) {
        List<Mirror> m = new ArrayList<>(mirrors);
        m.addAll(lower.mirrors);
        List<Proxy> p = new ArrayList<>(proxies);
        p.addAll(lower.proxies);
        return new MavenSettings(localRepository != null ? localRepository : lower.localRepository,
                offline || lower.offline, List.copyOf(m), List.copyOf(p));
    }

    static MavenSettings parse(Path file) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            Document doc = builder.parse(file.toFile());
            root = doc.getDocumentElement();
        } catch (Exception e) {
            throw new IOException(file + " is not a readable Maven settings file (" + e.getMessage()
                    + "); fix or move it, then run %maven again", e);
        }
        String local = text(root, "localRepository");
        List<Mirror> mirrors = new ArrayList<>();
        for (Element m : children(child(root, "mirrors"), "mirror")) {
            String url = text(m, "url");
            if (url != null) mirrors.add(new Mirror(orElse(text(m, "id"), "mirror"), url, orElse(text(m, "mirrorOf"), "*")));
        }
        List<Proxy> proxies = new ArrayList<>();
        for (Element p : children(child(root, "proxies"), "proxy")) {
            String host = text(p, "host");
            if (host == null || "false".equalsIgnoreCase(text(p, "active"))) continue;
            String port = orElse(text(p, "port"), "8080");
            proxies.add(new Proxy(orElse(text(p, "protocol"), "http"), host, Integer.parseInt(port),
                    text(p, "username"), text(p, "password"), text(p, "nonProxyHosts")));
        }
        return new MavenSettings(local == null ? null : Path.of(interpolate(local)),
                "true".equalsIgnoreCase(text(root, "offline")), List.copyOf(mirrors), List.copyOf(proxies));
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{(env\\.)?([^}]+)}");

    /** {@code ${user.home}} and {@code ${env.NAME}}, the two forms seen in localRepository. */
    static String interpolate(String value) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = m.group(1) != null ? System.getenv(m.group(2)) : System.getProperty(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(resolved != null ? resolved : m.group()));
        }
        return m.appendTail(out).toString();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) return e;
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getTagName())) out.add(e);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) return null;
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
