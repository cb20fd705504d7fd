"""A benchmark-only extension: a command that only replies (figure 4's baseline). Never in bot.EXTENSIONS."""

import discord
from discord import app_commands
from discord.ext import commands


class Bare(commands.Cog):
    @app_commands.command(name="ping", description="Replies at once (benchmark baseline)")
    @app_commands.guild_only()
    async def ping(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Bare())
