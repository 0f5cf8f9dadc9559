package gpuenergy.results;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinesTest {
    /** One text's first line, whichever way its lines end, for every one-line reason the suite records. */
    @Test
    void aTextsFirstLineEndsAtAnyLineTerminator() {
        for (String lineEnd : new String[] {"\n", "\r\n", "\r", "\u2028", "\u0085"}) {
            assertEquals("first", Lines.firstLine("  first " + lineEnd + "second\n"));
        }
        assertEquals("", Lines.firstLine(null));
        assertEquals("", Lines.firstLine(" \n "));
    }

    /** A reason quoted from an error ends with its words, not with the blanks before the error's line break. */
    @Test
    void aQuotedErrorsLineEndsWithItsWords() {
        assertEquals("broken pipe", IoMessage.reason(new IOException("Broken pipe \r\nat the other end")));
    }
}
