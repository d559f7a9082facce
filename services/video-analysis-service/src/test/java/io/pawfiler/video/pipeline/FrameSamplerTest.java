package io.pawfiler.video.pipeline;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSamplerTest {

    private static final long FRAME_MICROS = 40_000;  // TestVideos encodes 25 fps

    @TempDir
    Path directory;

    /**
     * In a clip whose only keyframe is its first frame (a long GOP, as phone and x264-default encodes have),
     * samples close together are reached by decoding forward; each must still be the frame at its own timestamp.
     */
    @Test
    void everySampleOfALongGopVideoIsTheFrameAtItsTimestamp() {
        Path video = TestVideos.encode(directory, "long-gop", TestVideos.image("astronaut.png"),
                TestVideos.Format.H264_MP4, 320, 240, 6, 250);
        int count = 16;

        List<FrameSampler.Sample> samples = FrameSampler.sample(video, count);

        assertEquals(count, samples.size());
        long duration = FrameSampler.probe(video).durationMicros();
        for (FrameSampler.Sample sample : samples) {
            long target = (long) (duration * (sample.index() + 0.5) / count);
            assertTrue(Math.abs(sample.timestampMicros() - target) <= FRAME_MICROS,
                    "sample " + sample.index() + " at " + sample.timestampMicros() + " µs, wanted " + target);
        }
        // the picture drifts across the frame: decoded samples are different images, not one frame repeated
        assertNotEquals(java.util.Arrays.hashCode(samples.getFirst().image().rgb()),
                java.util.Arrays.hashCode(samples.getLast().image().rgb()));
    }

    @Test
    void samplesFarApartAreReachedBySeekingAndStillLandOnTheirTimestamps() {
        Path video = TestVideos.encode(directory, "short-gop", TestVideos.image("astronaut.png"),
                TestVideos.Format.H264_MP4, 320, 240, 10, 25);

        List<FrameSampler.Sample> samples = FrameSampler.sample(video, 2);  // 5 s apart: more than a forward decode

        long duration = FrameSampler.probe(video).durationMicros();
        assertEquals(2, samples.size());
        assertTrue(Math.abs(samples.get(0).timestampMicros() - duration / 4) <= FRAME_MICROS);
        assertTrue(Math.abs(samples.get(1).timestampMicros() - duration * 3 / 4) <= FRAME_MICROS);
    }
}
