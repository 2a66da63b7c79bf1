#!/usr/bin/env bash
# mvn -Pdist package (Linux): a jlink'd minimal Java runtime, a jpackage app image, and a .deb.
# Usage: dist/package-linux.sh TARGET_DIR VERSION
set -euo pipefail
target=$1; version=$2
name=DiffusionPlayground
out=$target/dist
rm -rf "$out" && mkdir -p "$out/input"
cp "$target/diffusion-playground.jar" "$out/input/"
cp -r "$target/lib" "$out/input/lib"

# The modules the app, JavaFX (on the class path), ND4J/JavaCPP, JFreeChart and Gson use
# (jdeps --print-module-deps over the jar and target/lib, plus jdk.unsupported for JavaFX's and
# JavaCPP's Unsafe and jdk.zipfs for reading resources).
modules=$(cat "$(dirname "$0")/runtime-modules.txt" | tr -d ' \n')
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"

# -Xss: ND4J's SameDiff recursion; headless AWT (JFreeChart draws off screen) is set in code.
jpackage --type app-image --name "$name" --app-version "$version" --dest "$out" \
  --input "$out/input" --main-jar diffusion-playground.jar --main-class org.diffusionplayground.app.Main \
  --runtime-image "$out/runtime" --java-options "-Xmx3g" \
  --description "Diffusion models you can see: forward and reverse processes, samplers, schedules, training"

# The settings the README gives for ND4J's OpenMP threads (they must be in the environment before
# the native library loads, which no JVM option can do): the native launcher becomes
# $name-bin and a small script in its place sets them unless the user already has.
app="$out/$name"
mv "$app/bin/$name" "$app/bin/$name-bin"
cp "$app/lib/app/$name.cfg" "$app/lib/app/$name-bin.cfg"
cat > "$app/bin/$name" <<'SH'
#!/bin/sh
# Diffusion Playground: ND4J's OpenMP threads wait passively and glibc keeps few malloc arenas
# (see the README's "Speed notes"); any value already set wins.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec "$(dirname "$(readlink -f "$0")")/DiffusionPlayground-bin" "$@"
SH
chmod +x "$app/bin/$name"

# JavaFX opens GTK 3 and OpenGL at run time, which jpackage's own scan of the runtime misses.
jpackage --type deb --app-image "$app" --name "$name" --app-version "$version" --dest "$out" \
  --linux-package-name diffusion-playground --linux-shortcut --linux-menu-group Education \
  --linux-package-deps "libgtk-3-0, libxxf86vm1, libgl1" \
  --description "Diffusion models you can see" --vendor "Diffusion Playground"
rm -rf "$out/input"
du -sh "$app" "$out"/*.deb
