package dev.cursorexporter;

import picocli.CommandLine;

/** {@code --version} of every command: what the build stamped into the jar. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"cursor-exporter, version " + BuildInfo.version() + " (revision " + BuildInfo.revision() + ")"};
    }
}
