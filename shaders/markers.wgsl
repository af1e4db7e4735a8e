// OrbitScope markers: one instanced draw for the whole catalog.
// Each instance is a point in render space with a size in pixels; the quad's corners are
// pushed out in clip space so markers keep a constant on-screen size at every zoom, and the
// depth of the point itself is kept so that the Earth hides what is behind it.

#import bevy_pbr::mesh_view_bindings::view

struct Vertex {
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) uv: vec2<f32>,
    @location(3) instance_position_size: vec4<f32>,
    @location(4) instance_color: vec4<f32>,
};

struct VertexOutput {
    @builtin(position) clip_position: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) corner: vec2<f32>,
};

@vertex
fn vertex(vertex: Vertex) -> VertexOutput {
    var clip = view.clip_from_world * vec4<f32>(vertex.instance_position_size.xyz, 1.0);
    let size_px = vertex.instance_position_size.w;
    // Pixels to normalised device coordinates (2 units across the viewport), times w.
    let offset = vertex.position.xy * size_px * 2.0 / view.viewport.zw;
    clip = vec4<f32>(clip.xy + offset * clip.w, clip.zw);
    var out: VertexOutput;
    out.clip_position = clip;
    out.color = vertex.instance_color;
    out.corner = vertex.position.xy;
    return out;
}

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
    // Round markers with a soft rim.
    let radius = length(in.corner);
    if radius > 1.0 {
        discard;
    }
    let rim = smoothstep(1.0, 0.6, radius);
    return vec4<f32>(in.color.rgb * (0.55 + 0.45 * rim), in.color.a);
}
