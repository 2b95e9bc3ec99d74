package org.seqlab.kernel;

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
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * {@code %maven group:artifact:version}: resolves an artifact and its runtime dependencies with
 * the Maven resolver (the library Maven itself uses), from Maven Central and the repositories a
 * cell added, through the user's local repository ({@code ~/.m2/repository}, or
 * {@code -Dmaven.repo.local}), so what Maven already downloaded is not fetched again.
 */
final class MavenDependencies {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** One resolved jar: its coordinates and file. */
    record Jar(String coordinates, Path file) {}

    private final List<RemoteRepository> repositories = new ArrayList<>();
    private final Path localRepository;
    private RepositorySystem system;

    MavenDependencies() {
        this(localRepository());
    }

    MavenDependencies(Path localRepository) {
        this.localRepository = localRepository;
        repositories.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
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
        session.setLocalRepositoryManager(rs.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), List.copyOf(repositories));
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

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
