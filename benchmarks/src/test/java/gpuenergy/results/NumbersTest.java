package gpuenergy.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest {
    @Test
    void aCountIsSingularForOneOnly() {
        assertEquals("1 round", Numbers.count(1, "round"));
        assertEquals("6 rounds", Numbers.count(6, "round"));
        assertEquals("0 models", Numbers.count(0, "model"));
    }

    @Test
    void aFigureHasFourSignificantDigitsAndNoExponent() {
        assertEquals("12927", Numbers.plain(12927.4));
        assertEquals("0.09432", Numbers.plain(0.094321));
        assertEquals("", Numbers.full(Double.NaN));
    }
}
