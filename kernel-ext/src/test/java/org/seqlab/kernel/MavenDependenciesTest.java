package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven goes where Maven goes: mirrors, proxies, offline mode and the local repository of
 * settings.xml. Every repository here is a folder or a loopback server of the test's own, so
 * nothing reaches the network; Central is named only to be mirrored or refused.
 */
class MavenDependenciesTest {
    @TempDir
    Path dir;

    /** org.example:lib-a:1.0, which depends on org.example:lib-b:1.0, laid out as a Maven repository. */
    private Path repository() throws IOException {
        Path repo = dir.resolve("company-repo");
        artifact(repo, "lib-b", "");
        artifact(repo, "lib-a", "<dependencies><dependency><groupId>org.example</groupId>"
                + "<artifactId>lib-b</artifactId><version>1.0</version></dependency></dependencies>");
        return repo;
    }

    private static void artifact(Path repo, String id, String dependencies) throws IOException {
        Path folder = Files.createDirectories(repo.resolve("org/example/" + id + "/1.0"));
        Files.writeString(folder.resolve(id + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>" + id + "</artifactId><version>1.0</version>"
                + dependencies + "</project>");
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(folder.resolve(id + "-1.0.jar")))) {
            jar.putNextEntry(new ZipEntry(id + ".txt"));
            jar.write(id.getBytes());
        }
    }

    private Path settings(String body) throws IOException {
        Path file = dir.resolve("settings-" + body.hashCode() + ".xml");
        Files.writeString(file, "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">" + body + "</settings>");
        return file;
    }

    private static List<String> names(List<MavenDependencies.Jar> jars) {
        return jars.stream().map(j -> j.file().getFileName().toString()).toList();
    }

    @Test
    void aMirrorOfEverythingReplacesCentralAndDependenciesComeAlong() throws Exception {
        Path repo = repository();
        MavenSettings s = MavenSettings.read(List.of(settings("<mirrors><mirror><id>company</id><mirrorOf>*</mirrorOf><url>"
                + repo.toUri() + "</url></mirror></mirrors>")));
        Path local = dir.resolve("local");
        List<MavenDependencies.Jar> jars = new MavenDependencies(local, s).resolve("org.example:lib-a:1.0");
        assertEquals(List.of("lib-a-1.0.jar", "lib-b-1.0.jar"), names(jars));
        assertTrue(jars.get(0).file().startsWith(local), "downloads land in the local repository: " + jars.get(0).file());
        assertEquals("org.example:lib-b:1.0", jars.get(1).coordinates());
    }

    @Test
    void withoutTheMirrorTheSameArtifactIsNotFoundOffline() throws Exception {
        repository();
        MavenSettings offline = MavenSettings.read(List.of(settings("<offline>true</offline>")));
        assertTrue(offline.offline());
        assertThrows(DependencyResolutionException.class,
                () -> new MavenDependencies(dir.resolve("local"), offline).resolve("org.example:lib-a:1.0"));
    }

    @Test
    void whatMavenDownloadedThroughAnotherRepositoryIdIsUsedOffline() throws Exception {
        // As `mvn` leaves it after fetching through a mirror called "ci-mirror": the files, and a
        // _remote.repositories naming that id. %maven asks for "central" and must still use them.
        Path local = dir.resolve("local");
        Path repo = repository();
        try (var files = Files.walk(repo)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path target = local.resolve(repo.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
                Files.writeString(target.resolveSibling("_remote.repositories"),
                        p.getFileName() + ">ci-mirror=\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        MavenSettings offline = MavenSettings.read(List.of(settings("<offline>true</offline>")));
        assertEquals(List.of("lib-a-1.0.jar", "lib-b-1.0.jar"),
                names(new MavenDependencies(local, offline).resolve("org.example:lib-a:1.0")));
    }

    @Test
    void aProxyFromSettingsCarriesTheRequests() throws Exception {
        Path repo = repository();
        List<String> seen = new ArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            URI asked = exchange.getRequestURI(); // a proxy is sent the absolute URL
            synchronized (seen) {
                seen.add(asked.getHost());
            }
            Path file = repo.resolve(asked.getPath().replaceFirst("^/maven2/", ""));
            boolean found = asked.getPath().startsWith("/maven2/") && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        proxy.start();
        try {
            int port = proxy.getAddress().getPort();
            MavenSettings s = MavenSettings.read(List.of(settings(
                    "<mirrors><mirror><id>company</id><mirrorOf>central</mirrorOf><url>http://repo.company.invalid/maven2/</url></mirror></mirrors>"
                    + "<proxies><proxy><active>false</active><host>unused.invalid</host><port>1</port></proxy>"
                    + "<proxy><protocol>http</protocol><host>127.0.0.1</host><port>" + port + "</port></proxy></proxies>")));
            assertEquals(1, s.proxies().size(), "the inactive proxy is skipped");
            List<MavenDependencies.Jar> jars = new MavenDependencies(dir.resolve("local"), s).resolve("org.example:lib-a:1.0");
            assertEquals(List.of("lib-a-1.0.jar", "lib-b-1.0.jar"), names(jars));
            synchronized (seen) {
                assertTrue(!seen.isEmpty() && seen.stream().allMatch("repo.company.invalid"::equals), seen.toString());
            }
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void theUsersFileWinsOverTheGlobalOneAndPropertiesExpand() throws Exception {
        Path global = settings("<localRepository>/srv/m2</localRepository><mirrors><mirror><id>g</id><url>file:/g</url>"
                + "<mirrorOf>*</mirrorOf></mirror></mirrors>");
        Path user = settings("<localRepository>${user.home}/cache/m2</localRepository><mirrors><mirror><id>u</id>"
                + "<url>file:/u</url><mirrorOf>central</mirrorOf></mirror></mirrors>");
        MavenSettings s = MavenSettings.read(List.of(global, user, dir.resolve("absent.xml")));
        assertEquals(Path.of(System.getProperty("user.home"), "cache", "m2"), s.localRepository());
        assertEquals(List.of("u", "g"), s.mirrors().stream().map(MavenSettings.Mirror::id).toList());
        assertEquals(Path.of(System.getProperty("user.home"), "cache", "m2"), MavenDependencies.localRepository(s));
        assertEquals(Path.of("/opt/maven/conf/settings.xml"),
                MavenSettings.standardFiles(Map.of("MAVEN_HOME", "/opt/maven"), "/home/u").get(0));
        assertEquals(Path.of("/home/u/.m2/settings.xml"), MavenSettings.standardFiles(Map.of(), "/home/u").get(1));
    }

    @Test
    void environmentProxiesApplyOnlyWhenSettingsNameNone() throws Exception {
        MavenSettings fromEnv = MavenSettings.NONE.withEnvironmentProxies(
                Map.of("https_proxy", "http://joe:secret@proxy.local:3128", "no_proxy", "localhost,.corp.example"));
        MavenSettings.Proxy p = fromEnv.proxies().get(0);
        assertEquals(List.of("proxy.local", "3128", "joe", "secret", "localhost|*.corp.example|corp.example"),
                List.of(p.host(), String.valueOf(p.port()), p.username(), p.password(), p.nonProxyHosts()));
        MavenSettings configured = MavenSettings.read(List.of(settings("<proxies><proxy><host>set.local</host></proxy></proxies>")));
        assertEquals("set.local", configured.withEnvironmentProxies(Map.of("https_proxy", "http://other:1")).proxies().get(0).host());
        assertNull(configured.proxies().get(0).username());
    }

    @Test
    void aBrokenOrHostileSettingsFileSaysWhichAndWhatToDo() throws Exception {
        Path broken = dir.resolve("broken.xml");
        Files.writeString(broken, "<settings><mirrors>");
        IOException e = assertThrows(IOException.class, () -> MavenSettings.read(List.of(broken)));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("fix or move it"), e.getMessage());
        Path entity = dir.resolve("entity.xml");
        Files.writeString(entity, "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><settings><localRepository>&x;</localRepository></settings>");
        assertThrows(IOException.class, () -> MavenSettings.read(List.of(entity)));
    }
}
