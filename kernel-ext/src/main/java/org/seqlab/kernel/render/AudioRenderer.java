package org.seqlab.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.seqlab.music.Audio;

/**
 * The engine's {@link Audio} as something to listen to. JupyterLab 4, Notebook 7, classic Notebook and
 * nbconvert's HTML export have no renderer for {@code audio/wav} outputs (as of JupyterLab 4.4); what
 * they all play is HTML with an {@code <audio controls>} element whose source is the WAV as a data URI,
 * which is what IPython's {@code Audio} sends too. So text/html carries the player, audio/wav the same
 * bytes for frontends that render audio outputs, and text/plain describes the clip.
 */
public final class AudioRenderer {
    public static final MIMEType AUDIO_WAV = MIMEType.parse("audio/wav");

    private AudioRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Audio.class)
                .preferring(MIMEType.TEXT_HTML, AUDIO_WAV, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, AUDIO_WAV, MIMEType.TEXT_PLAIN)
                .register((audio, ctx) -> {
                    String wav = Html.base64(audio.wav());
                    ctx.renderIfRequested(AUDIO_WAV, () -> wav);
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(audio, wav));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, audio::toString);
                });
    }

    /** A player (no autoplay) with the clip's label and length under it. */
    public static String html(Audio audio, String base64Wav) {
        String caption = (audio.label().isEmpty() ? "" : Html.escape(audio.label()) + ": ")
                + String.format("%.1f s", audio.seconds());
        return "<div class=\"seqlab-audio\"><audio controls preload=\"metadata\" src=\"data:audio/wav;base64,"
                + base64Wav + "\">your browser does not play WAV audio</audio>"
                + "<div style=\"font-family:sans-serif;font-size:12px;color:#444\">" + caption + "</div></div>";
    }
}
