package org.seqlab.music;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/** A tune's played notes as a one-track MIDI sequence: tempo events, a program change, note on/off pairs. */
final class TuneMidi {
    static final int TICKS_PER_QUARTER = 480;

    private TuneMidi() {
    }

    static Sequence sequence(Tune tune, int program) {
        if (program < 0 || program > 127) {
            throw new IllegalArgumentException("program is " + program + "; General MIDI programs are 0..127 (0 piano,"
                    + " 40 violin, 73 flute)");
        }
        try {
            Sequence seq = new Sequence(Sequence.PPQ, TICKS_PER_QUARTER);
            Track track = seq.createTrack();
            byte[] name = tune.title().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            track.add(new MidiEvent(new MetaMessage(0x03, name, name.length), 0));
            for (Performance.Tempo t : tune.tempi()) {
                long microsPerQuarter = Math.round(60_000_000 / t.quartersPerMinute());
                byte[] data = {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter};
                track.add(new MidiEvent(new MetaMessage(0x51, data, 3), ticks(t.onset())));
            }
            track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, program, 0), 0));
            // notes in onset order: a note's off and the next note's on at the same tick stay in that order
            for (Note n : tune.notes()) {
                track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, n.pitch(), n.velocity()), ticks(n.onset())));
                track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, n.pitch(), 0),
                        ticks(n.onset() + n.duration())));
            }
            return seq;
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("could not build the MIDI sequence: " + e.getMessage(), e);
        }
    }

    static long ticks(double quarters) {
        return Math.round(quarters * TICKS_PER_QUARTER);
    }
}
