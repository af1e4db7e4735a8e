// OrbitScope orbits: every shown object's osculating ellipse in one instanced draw.
// The mesh is a strip of quads: vertex x = sample index 0..=SEGMENTS, y = side (±1). Each
// instance is an ellipse (centre, a·P, b·Q) in render space; the vertex shader puts the
// sample on it (spaced by the anomaly warp, see src/orbit_lines.rs) and pushes the two
// sides apart across the screen-space tangent, so lines keep a constant width on screen.
// Depth is that of the point itself: the Earth hides the far side of each orbit.

#import bevy_pbr::mesh_view_bindings::view

const SEGMENTS: f32 = 128.0;
const TAU: f32 = 6.283185307179586;

struct Vertex {
    @location(0) position: vec3<f32>,
    @location(3) major_axis_warp: vec4<f32>,
    @location(4) minor_axis_width: vec4<f32>,
    @location(5) centre: vec4<f32>,
    @location(6) color: vec4<f32>,
};

struct VertexOutput {
    @builtin(position) clip_position: vec4<f32>,
    @location(0) color: vec4<f32>,
};

fn eccentric_anomaly(t: f32, warp: f32) -> f32 {
    // t/2 is in [0, pi]: its sine is never negative (abs keeps f32's sin(pi) < 0 out).
    return 2.0 * atan2(warp * abs(sin(0.5 * t)), cos(0.5 * t));
}

@vertex
fn vertex(vertex: Vertex) -> VertexOutput {
    let t = TAU * vertex.position.x / SEGMENTS;
    let e = eccentric_anomaly(t, vertex.major_axis_warp.w);
    let major = vertex.major_axis_warp.xyz;
    let minor = vertex.minor_axis_width.xyz;
    let point = vertex.centre.xyz + major * cos(e) + minor * sin(e);
    let tangent = minor * cos(e) - major * sin(e);
    var clip = view.clip_from_world * vec4<f32>(point, 1.0);
    let ahead = view.clip_from_world * vec4<f32>(point + tangent * 0.01, 1.0);
    // Behind the camera the screen direction means nothing: leave the vertex for clipping.
    if clip.w > 1e-4 && ahead.w > 1e-4 {
        let pixels = view.viewport.zw;
        let direction_px = (ahead.xy / ahead.w - clip.xy / clip.w) * pixels;
        let length_px = length(direction_px);
        if length_px > 1e-6 {
            let normal_px = vec2<f32>(-direction_px.y, direction_px.x) / length_px;
            // Wider with the output: a 4K frame looks like the window at more pixels.
            let width_px = vertex.minor_axis_width.w * max(1.0, pixels.y / 800.0);
            let offset_ndc = normal_px * vertex.position.y * 0.5 * width_px * 2.0 / pixels;
            clip = vec4<f32>(clip.xy + offset_ndc * clip.w, clip.zw);
        }
    }
    var out: VertexOutput;
    out.clip_position = clip;
    out.color = vertex.color;
    return out;
}

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
    return in.color;
}
