package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * {@code %maven group:artifact:version}: resolves an artifact and its runtime dependencies with
 * the Maven resolver (the library Maven itself uses), from Maven Central and the repositories a
 * cell added, through the user's local repository ({@code -Dmaven.repo.local}, else the one
 * {@code settings.xml} names, else {@code ~/.m2/repository}), so what Maven already downloaded is
 * not fetched again; and through the mirrors, proxies and offline mode of {@link MavenSettings}.
 */
final class MavenDependencies {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** One resolved jar: its coordinates and file. */
    record Jar(String coordinates, Path file) {}

    private final List<RemoteRepository> repositories = new ArrayList<>();
    private final Path localRepository;
    private final MavenSettings settings;
    private RepositorySystem system;

    MavenDependencies() {
        this(loadSettings());
    }

    MavenDependencies(MavenSettings settings) {
        this(localRepository(settings), settings);
    }

    MavenDependencies(Path localRepository, MavenSettings settings) {
        this.localRepository = localRepository;
        this.settings = settings;
        repositories.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
    }

    /** Unreadable settings must not take %maven away: Maven's defaults, with the problem on stderr. */
    private static MavenSettings loadSettings() {
        try {
            return MavenSettings.load();
        } catch (IOException e) {
            System.err.println("seqlab: " + e.getMessage() + "; %maven uses Maven Central directly");
            return MavenSettings.NONE;
        }
    }

    static Path localRepository(MavenSettings settings) {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        if (settings.localRepository() != null) return settings.localRepository();
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Adds a repository searched after Central, e.g. {@code https://jitpack.io} or a {@code file:} URL. */
    synchronized String addRepository(String url) {
        String id = "repo" + repositories.size();
        repositories.add(new RemoteRepository.Builder(id, "default", url).build());
        return id;
    }

    synchronized List<String> repositoryUrls() {
        return repositories.stream().map(RemoteRepository::getUrl).toList();
    }

    /**
     * The jars {@code coordinates} needs at run time, itself first.
     *
     * @throws IllegalArgumentException when the coordinates are not {@code group:artifact[:extension[:classifier]]:version}
     * @throws DependencyResolutionException when it, or a dependency, cannot be found or downloaded
     */
    synchronized List<Jar> resolve(String coordinates) throws DependencyResolutionException {
        Artifact artifact = new DefaultArtifact(coordinates);
        RepositorySystem rs = system();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        // "simple": a file Maven already downloaded is used whichever repository id it came through
        // (Maven's default manager refuses one fetched through a mirror id when asked for "central").
        session.setLocalRepositoryManager(rs.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile(), "simple")));
        session.setOffline(settings.offline());
        session.setMirrorSelector(mirrorSelector());
        session.setProxySelector(proxySelector());
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        List<RemoteRepository> routed = rs.newResolutionRepositories(session, List.copyOf(repositories));
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), routed);
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Jar> jars = new ArrayList<>();
        for (ArtifactResult r : rs.resolveDependencies(session, request).getArtifactResults()) {
            Artifact a = r.getArtifact();
            if (a != null && a.getFile() != null) {
                jars.add(new Jar(a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion(), a.getFile().toPath()));
            }
        }
        return jars;
    }

    private DefaultMirrorSelector mirrorSelector() {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (MavenSettings.Mirror m : settings.mirrors()) {
            selector.add(m.id(), m.url(), "default", false, false, m.mirrorOf(), null);
        }
        return selector;
    }

    private DefaultProxySelector proxySelector() {
        DefaultProxySelector selector = new DefaultProxySelector();
        for (MavenSettings.Proxy p : settings.proxies()) {
            Authentication auth = p.username() == null ? null
                    : new AuthenticationBuilder().addUsername(p.username()).addPassword(p.password()).build();
            // A proxy serves both schemes unless settings say otherwise; Maven matches on the repository's.
            for (String type : p.protocol().equalsIgnoreCase("https") ? List.of("https") : List.of("http", "https")) {
                selector.add(new Proxy(type, p.host(), p.port(), auth), p.nonProxyHosts());
            }
        }
        return selector;
    }

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
