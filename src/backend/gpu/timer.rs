//! Device time of the kernel's compute passes, from timestamp queries
//! (`Features::TIMESTAMP_QUERY`, requested by `context` whenever the adapter offers it): each
//! pass of a chunk writes a timestamp as it begins and one as it ends; the chunk's kernel time
//! is the sum over its passes of (end - begin) ticks times the queue's timestamp period. It
//! leaves out what the wall time of a run also holds: uploads, the readback and its wait, the
//! host's decoding, and the gaps between passes.

/// Passes per chunk at most (classify, order, propagate, allocate, replay).
pub const MAX_PASSES: u32 = 5;

/// A query set of two timestamps per pass, and the buffers its values are resolved and read
/// back through.
pub struct PassTimer {
    query_set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    /// Mapped by the readback with the chunk's other staging buffers.
    pub staging: wgpu::Buffer,
    /// Nanoseconds per tick (`Queue::get_timestamp_period`).
    period_ns: f64,
}

/// Bytes of the timestamps of `passes` passes (two u64 values each).
pub fn timestamp_bytes(passes: u32) -> u64 {
    u64::from(2 * passes) * wgpu::QUERY_SIZE as u64
}

impl PassTimer {
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> PassTimer {
        let query_set = device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("interceptmc pass timestamps"),
            ty: wgpu::QueryType::Timestamp,
            count: 2 * MAX_PASSES,
        });
        let buffer = |label, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: timestamp_bytes(MAX_PASSES),
                usage,
                mapped_at_creation: false,
            })
        };
        PassTimer {
            query_set,
            resolve: buffer(
                "interceptmc timestamps",
                wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            ),
            staging: buffer(
                "interceptmc timestamps staging",
                wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            ),
            period_ns: f64::from(queue.get_timestamp_period()),
        }
    }

    /// The timestamp writes of pass `pass` (0-based) of a chunk.
    pub fn writes(&self, pass: u32) -> wgpu::ComputePassTimestampWrites<'_> {
        wgpu::ComputePassTimestampWrites {
            query_set: &self.query_set,
            beginning_of_pass_write_index: Some(2 * pass),
            end_of_pass_write_index: Some(2 * pass + 1),
        }
    }

    /// After the chunk's `passes` passes: resolves their timestamps into the staging buffer.
    pub fn resolve(&self, encoder: &mut wgpu::CommandEncoder, passes: u32) {
        encoder.resolve_query_set(&self.query_set, 0..2 * passes, &self.resolve, 0);
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &self.staging, 0, timestamp_bytes(passes));
    }

    /// The kernel time of a chunk, s, from the bytes read back from the staging buffer.
    pub fn seconds(&self, bytes: &[u8]) -> f64 {
        kernel_seconds(bytemuck::cast_slice(bytes), self.period_ns)
    }
}

/// Sum over passes of (end - begin) ticks, as seconds at `period_ns` ns per tick; `ticks` holds
/// (begin, end) pairs. A pair whose end precedes its begin (a counter that wrapped or was
/// reset) counts as zero.
pub fn kernel_seconds(ticks: &[u64], period_ns: f64) -> f64 {
    let total: u64 = ticks
        .chunks_exact(2)
        .map(|pair| pair[1].saturating_sub(pair[0]))
        .sum();
    total as f64 * period_ns * 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_add_up_and_a_reset_counter_counts_zero() {
        // (1000, 3500) and (4000, 4500) ticks at 2 ns: (2500 + 500) x 2 ns = 6 us; a pair that
        // runs backwards adds nothing.
        let s = kernel_seconds(&[1000, 3500, 4000, 4500, 9000, 10], 2.0);
        assert!((s - 6e-6).abs() < 1e-18, "{s}");
        assert_eq!(timestamp_bytes(5), 80);
    }
}
