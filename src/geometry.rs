//! Mesh data for the globe, without Bevy: a WGS-84 ellipsoid in the Earth-fixed render frame
//! with equirectangular texture coordinates, and points on it for ground tracks.

use glam::Vec3;

use crate::orbit::frames::Geodetic;
use crate::render_space::{world_axes_from_ecef_km, world_axes_from_geodetic};

/// Lines of latitude and longitude every `step_deg` degrees, as polylines in Earth-fixed render
/// axes just above the surface (poles excluded from the parallels).
pub fn graticule(step_deg: f64, altitude_km: f64) -> Vec<Vec<Vec3>> {
    let point = |lat: f64, lon: f64| {
        world_axes_from_geodetic(&Geodetic {
            latitude_rad: lat.to_radians(),
            longitude_rad: lon.to_radians(),
            altitude_km,
        })
    };
    let step = step_deg.clamp(1.0, 90.0);
    let mut lines = Vec::new();
    let mut lat = -90.0 + step;
    while lat < 90.0 - 1e-9 {
        lines.push(
            (0..=120)
                .map(|i| point(lat, -180.0 + 3.0 * f64::from(i)))
                .collect(),
        );
        lat += step;
    }
    let mut lon = -180.0;
    while lon < 180.0 - 1e-9 {
        lines.push(
            (0..=60)
                .map(|i| point(-90.0 + 3.0 * f64::from(i), lon))
                .collect(),
        );
        lon += step;
    }
    lines
}

/// Reads polylines written as one line each of `lon,lat lon,lat …` (degrees), as in
/// `assets/earth/borders_110m.txt`, into Earth-fixed render points at `altitude_km`. A bad pair is
/// an error naming its line.
pub fn parse_polylines(text: &str, altitude_km: f64) -> Result<Vec<Vec<Vec3>>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            line.split_whitespace()
                .map(|pair| {
                    let (lon, lat) = pair.split_once(',')?;
                    let (lon, lat): (f64, f64) = (lon.parse().ok()?, lat.parse().ok()?);
                    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then(|| {
                        world_axes_from_geodetic(&Geodetic {
                            latitude_rad: lat.to_radians(),
                            longitude_rad: lon.to_radians(),
                            altitude_km,
                        })
                    })
                })
                .collect::<Option<Vec<Vec3>>>()
                .ok_or_else(|| format!("line {}: expected `lon,lat` pairs in degrees", index + 1))
        })
        .collect()
}

/// Vertices, normals, texture coordinates and triangle indices of the ellipsoid.
#[derive(Debug, Clone, Default)]
pub struct EllipsoidMesh {
    pub positions: Vec<[f32; 3]>,
    pub normals: Vec<[f32; 3]>,
    pub uvs: Vec<[f32; 2]>,
    pub indices: Vec<u32>,
}

/// The WGS-84 ellipsoid as a latitude/longitude grid. Texture u runs from longitude −180° (0)
/// to +180° (1), v from the north pole (0) to the south pole (1), as in equirectangular images.
pub fn earth_ellipsoid(longitude_segments: u32, latitude_segments: u32) -> EllipsoidMesh {
    let (lon_n, lat_n) = (longitude_segments.max(3), latitude_segments.max(2));
    let mut mesh = EllipsoidMesh::default();
    for row in 0..=lat_n {
        let v = row as f32 / lat_n as f32;
        let latitude = (90.0 - 180.0 * f64::from(v)).to_radians();
        for column in 0..=lon_n {
            let u = column as f32 / lon_n as f32;
            let longitude = (-180.0 + 360.0 * f64::from(u)).to_radians();
            let geodetic = Geodetic {
                latitude_rad: latitude,
                longitude_rad: longitude,
                altitude_km: 0.0,
            };
            mesh.positions
                .push(world_axes_from_geodetic(&geodetic).to_array());
            // The geodetic normal is the ellipsoid's surface normal.
            let (sin_lat, cos_lat) = latitude.sin_cos();
            let (sin_lon, cos_lon) = longitude.sin_cos();
            let normal = world_axes_from_ecef_km(glam::DVec3::new(
                cos_lat * cos_lon,
                cos_lat * sin_lon,
                sin_lat,
            ));
            mesh.normals.push(normal.normalize().to_array());
            mesh.uvs.push([u, v]);
        }
    }
    let stride = lon_n + 1;
    for row in 0..lat_n {
        for column in 0..lon_n {
            let a = row * stride + column;
            let b = a + stride;
            // Counter-clockwise seen from outside.
            mesh.indices
                .extend_from_slice(&[a, b, a + 1, a + 1, b, b + 1]);
        }
    }
    mesh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texture_coordinates_follow_longitude_and_latitude() {
        let mesh = earth_ellipsoid(4, 2);
        // Row 1 is the equator; column 2 of 4 is longitude 0, which lies on +X.
        let equator_greenwich = (5 + 2) as usize;
        assert_eq!(mesh.uvs[equator_greenwich], [0.5, 0.5]);
        assert!((Vec3::from(mesh.positions[equator_greenwich]) - Vec3::X).length() < 1e-6);
        // Column 3 is longitude +90° (east), which lies on −Z in render axes.
        let equator_east = (5 + 3) as usize;
        assert!((Vec3::from(mesh.positions[equator_east]) + Vec3::Z).length() < 1e-6);
        // Row 0 is the north pole at the polar radius.
        assert!((mesh.positions[0][1] - 6356.752 / 6378.137).abs() < 1e-5);
        assert_eq!(mesh.indices.len(), 4 * 2 * 6);
    }

    #[test]
    fn graticule_has_parallels_and_meridians_on_the_surface() {
        let lines = graticule(30.0, 0.0);
        assert_eq!(
            lines.len(),
            5 + 12,
            "parallels at ±60, ±30, 0 and 12 meridians"
        );
        let equator = &lines[2];
        assert!(
            equator
                .iter()
                .all(|p| p.y.abs() < 1e-6 && (p.length() - 1.0).abs() < 1e-5)
        );
        let greenwich = &lines[5 + 6];
        assert!(greenwich.iter().all(|p| p.z.abs() < 1e-6 && p.x >= -1e-6));
    }

    #[test]
    fn polylines_parse_and_bad_pairs_name_their_line() {
        let lines = parse_polylines("0,0 90,0\n\n0,90 10,80\n", 0.0).unwrap();
        assert_eq!(lines.len(), 2);
        assert!((lines[0][0] - Vec3::X).length() < 1e-6);
        assert!((lines[0][1] + Vec3::Z).length() < 1e-6, "90° E is −Z");
        let error = parse_polylines("0,0 1,1\n0,0 x,1\n", 0.0).unwrap_err();
        assert!(error.starts_with("line 2"), "{error}");
        assert!(
            parse_polylines("0,95\n", 0.0).is_err(),
            "latitude out of range"
        );
    }

    #[test]
    fn triangles_face_outwards() {
        let mesh = earth_ellipsoid(16, 8);
        for triangle in mesh.indices.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|i| Vec3::from(mesh.positions[triangle[i] as usize]));
            let normal = (b - a).cross(c - a);
            if normal.length() > 1e-9 {
                assert!(normal.dot(a + b + c) > 0.0, "{triangle:?}");
            }
        }
    }
}
